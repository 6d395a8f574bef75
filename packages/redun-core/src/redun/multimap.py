"""``MultiMap``: a mapping whose keys may repeat, as tags are (``env=dev``, ``env=prod``).

Upstream redun gives backends' tag maps this type (``redun.utils.MultiMap``); code that
reads tags through it keeps working here.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any, Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

_MISSING: Any = object()


class MultiMap(Generic[K, V]):
    """Key-value pairs with repeated keys, kept in insertion order.

    ``mmap[key]`` is the list of that key's values; iterating yields ``(key, value)``
    pairs; equality ignores order and compares with another MultiMap, a dict of lists
    or any iterable of pairs.
    """

    def __init__(self, items: Iterable[Any] = ()) -> None:
        self._data: dict[K, list[V]] = {}
        self._len = 0
        for key, value in items:
            self.add(key, value)

    def add(self, key: K, value: V) -> None:
        """Append ``value`` to ``key``'s values."""
        self._data.setdefault(key, []).append(value)
        self._len += 1

    def get(self, key: K, default: Any = _MISSING) -> list[V]:
        """``key``'s values; ``default`` (an empty list unless given) when absent."""
        if default is _MISSING:
            default = []
        return self._data.get(key, default)

    def has_item(self, key: K, value: V) -> bool:
        """Whether the pair ``(key, value)`` is present."""
        return value in self._data.get(key, ())

    def keys(self) -> Iterator[K]:
        return iter(self._data)

    def values(self) -> Iterator[V]:
        return itertools.chain.from_iterable(self._data.values())

    def items(self) -> Iterator[tuple[K, V]]:
        return iter(self)

    def as_dict(self) -> dict[K, list[V]]:
        """The underlying ``{key: [values]}`` dict (not a copy)."""
        return self._data

    def __getitem__(self, key: K) -> list[V]:
        return self._data[key]

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __len__(self) -> int:
        return self._len

    def __iter__(self) -> Iterator[tuple[K, V]]:
        for key, values in self._data.items():
            for value in values:
                yield key, value

    def __eq__(self, other: object) -> bool:
        if isinstance(other, MultiMap):
            return _sorted_pairs(self) == _sorted_pairs(other)
        if isinstance(other, dict):
            pairs = ((key, value) for key, values in other.items() for value in values)
            return _sorted_pairs(self) == _sorted_pairs(pairs)
        if isinstance(other, Iterable):
            return _sorted_pairs(self) == _sorted_pairs(other)
        return False

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"MultiMap({list(self)})"


def _sorted_pairs(pairs: Iterable[Any]) -> list[tuple[Any, Any]]:
    # Values of mixed types do not order; fall back to their reprs.
    pairs = [tuple(pair) for pair in pairs]
    try:
        return sorted(pairs)
    except TypeError:
        return sorted(pairs, key=repr)
