"""Walking and rebuilding nested Python values (list, tuple, dict, set, NamedTuple, dataclass).

The scheduler looks inside these containers for expressions in arguments and results;
everything else is a leaf.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

_SEQUENCE_TYPES = (list, tuple, set)
# Leaves that hold no Value: always valid, never staged, nothing nested to look into.
# The one definition every fast path (validity, pre/postprocessing, recording) uses.
PLAIN_LEAF_TYPES: frozenset[type] = frozenset({int, str, float, bytes, bool, type(None)})


def is_namedtuple(value: Any) -> bool:
    return isinstance(value, tuple) and hasattr(value, "_fields")


def iter_nested_children(value: Any) -> Iterator[tuple[bool, Any]]:
    """Yield ``(is_leaf, child)`` for the direct children of a value."""
    value_type = type(value)
    if value_type in _SEQUENCE_TYPES or is_namedtuple(value):
        for item in value:
            yield False, item
    elif value_type is dict:
        for key in value:
            yield False, key
        for item in value.values():
            yield False, item
    elif dataclasses.is_dataclass(value_type):
        for field in dataclasses.fields(value):
            yield False, getattr(value, field.name)
    else:
        yield True, value


def iter_nested_value(value: Any) -> Iterator[Any]:
    """Iterate over the leaves of a nested value."""
    stack: list[tuple[bool, Any]] = [(False, value)]
    while stack:
        is_leaf, item = stack.pop()
        if is_leaf:
            yield item
        else:
            stack.extend(iter_nested_children(item))


def map_nested_value(func: Callable[[Any], Any], value: Any) -> Any:
    """Apply ``func`` to every leaf, rebuilding containers of the same types."""
    value_type = type(value)
    if value_type is list:
        return [map_nested_value(func, item) for item in value]
    if value_type is tuple:
        return tuple(map_nested_value(func, item) for item in value)
    if is_namedtuple(value):
        return value_type(*(map_nested_value(func, item) for item in value))
    if value_type is set:
        return {map_nested_value(func, item) for item in value}
    if value_type is dict:
        return {
            map_nested_value(func, key): map_nested_value(func, item) for key, item in value.items()
        }
    if dataclasses.is_dataclass(value_type):
        return rebuild_dataclass(value, lambda item: map_nested_value(func, item))
    return func(value)


def rebuild_dataclass(value: Any, convert: Callable[[Any], Any]) -> Any:
    """Rebuild a dataclass with converted fields: init fields by constructor, others after."""
    return dataclass_from_fields(
        value, {f.name: convert(getattr(value, f.name)) for f in dataclasses.fields(value)}
    )


def dataclass_from_fields(value: Any, new_fields: dict[str, Any]) -> Any:
    """A new instance of ``value``'s dataclass with the given field values."""
    fields = dataclasses.fields(value)
    new = type(value)(**{f.name: new_fields[f.name] for f in fields if f.init})
    for f in fields:
        if not f.init:
            object.__setattr__(new, f.name, new_fields[f.name])
    return new
