"""TypeRegistry: dispatches hash/serialize/validate/parse for any Python object.

Registered Value classes are found by type name; raw types find their ProxyValue by
walking their MRO (cached both ways, since every argument of every job goes through
here). Plain builtins with no proxy take a fast path straight to the pickle hash.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from redun.hashing import hash_tag_bytes
from redun.pickling import pickle_dumps, pickle_loads
from redun.value.nested import PLAIN_LEAF_TYPES, iter_nested_value

if TYPE_CHECKING:
    from redun.value.base import ProxyValue, Value

_NoneType = type(None)
_MISSING = object()


class TypeRegistry:
    def __init__(self) -> None:
        self._type_name2value_type: dict[str, type[Value]] = {}
        # Proxies registered for a raw type, and the MRO lookups derived from them.
        self._proxies: dict[Any, type[ProxyValue]] = {}
        self._raw2proxy_type: dict[Any, type[ProxyValue] | None] = {}
        # Type name -> stored as a plain pickle (no Value class or proxy claims it).
        self._plain_names: dict[str, bool] = {}

    def register(self, value_type: type[Value]) -> None:
        if getattr(value_type, "__args__", None):
            return
        raw = getattr(value_type, "type", None)
        if getattr(value_type, "proxy", False) and raw is not None:
            self._proxies[raw] = value_type  # type: ignore[assignment]
            self._raw2proxy_type = dict(self._proxies)
        assert isinstance(value_type.type_name, str)
        self._type_name2value_type[value_type.type_name] = value_type
        self._plain_names = {}

    def _get_proxy_type(self, raw_type: type) -> type[ProxyValue] | None:
        proxy = self._raw2proxy_type.get(raw_type, _MISSING)
        if proxy is not _MISSING:
            return proxy  # type: ignore[return-value]
        found = None
        try:
            mro = raw_type.__mro__
        except AttributeError:
            mro = ()
        for base in mro:
            candidate = self._proxies.get(base)
            if candidate is not None:
                found = candidate
                break
        self._raw2proxy_type[raw_type] = found
        return found

    def get_type_name(self, raw_type: type) -> str:
        from redun.value.base import Value, get_raw_type_name

        value_type = self.get_type(raw_type, use_default=False)
        if value_type is not None:
            assert value_type.type_name
            return value_type.type_name
        if isinstance(raw_type, type) and issubclass(raw_type, Value):
            return get_raw_type_name(raw_type)
        return get_raw_type_name(raw_type)

    def parse_type_name(self, type_name: str) -> type:
        if type_name == "builtins.NoneType":
            return _NoneType
        value_type = self._type_name2value_type.get(type_name)
        if value_type is not None:
            return value_type
        try:
            module_name, name = type_name.rsplit(".", 1)
            return importlib.import_module(module_name).__dict__[name]
        except (ValueError, ImportError, KeyError) as error:
            plugin_type = _plugin_value_type(type_name)
            if plugin_type is not None:
                return plugin_type
            raise TypeError(f'Unable to import type "{type_name}"') from error

    def get_type(self, raw_type: type, use_default: bool = True) -> type[Value] | None:
        from redun.value.base import ProxyValue, Value

        proxy = self._get_proxy_type(raw_type)
        if proxy is not None:
            return proxy
        if isinstance(raw_type, type) and issubclass(raw_type, Value):
            return raw_type
        return ProxyValue if use_default else None

    def get_value(self, raw_value: Any) -> Value:
        from redun.value.base import ProxyValue, Value

        proxy = self._get_proxy_type(type(raw_value))
        if proxy is not None:
            return proxy(raw_value)
        if isinstance(raw_value, Value):
            return raw_value
        return ProxyValue(raw_value)

    def get_hash(self, value: Any, data: bytes | None = None) -> str:
        raw_type = type(value)
        if raw_type in _PLAIN_TYPES and self._get_proxy_type(raw_type) is None:
            return hash_tag_bytes("Value", data if data is not None else pickle_dumps(value))
        wrapped = self.get_value(value)
        if _overrides_get_hash(type(wrapped)):
            # A class with its own get_hash is called as upstream calls it, without
            # ``data``: users write ``def get_hash(self)``.
            return wrapped.get_hash()
        return wrapped.get_hash(data)

    def get_serialization_format(self, value: Any) -> str:
        return self.get_value(value).get_serialization_format()

    def serialize(self, value: Any) -> bytes:
        raw_type = type(value)
        if raw_type in _PLAIN_TYPES and self._get_proxy_type(raw_type) is None:
            return pickle_dumps(value)
        return self.get_value(value).serialize()

    def deserialize(self, type_name: str, data: bytes) -> Any:
        plain = self._plain_names.get(type_name)
        if plain is None:
            raw = _PLAIN_TYPE_NAMES.get(type_name)
            plain = self._plain_names[type_name] = (
                raw is not None
                and type_name not in self._type_name2value_type
                and self._get_proxy_type(raw) is None
            )
        if plain:
            return pickle_loads(data)

        from redun.value.base import InvalidValueError, ProxyValue

        try:
            raw_type = self.parse_type_name(type_name)
        except TypeError:
            raw_type, value_type = ProxyValue, ProxyValue
        else:
            value_type = self.get_type(raw_type)  # type: ignore[assignment]
        try:
            return value_type.deserialize(raw_type, data)  # type: ignore[union-attr]
        except (ModuleNotFoundError, AttributeError) as error:
            raise InvalidValueError(
                f"cannot deserialize value of type {type_name}: {error}"
            ) from error

    def is_valid(self, value: Any) -> bool:
        if type(value) in _PLAIN_TYPES:
            return True
        return self.get_value(value).is_valid()

    def is_valid_nested(self, nested_value: Any) -> bool:
        return all(map(self.is_valid, iter_nested_value(nested_value)))

    def preprocess(self, raw_value: Any, preprocess_args: dict) -> Any:
        if type(raw_value) in _PLAIN_TYPES:
            return raw_value
        return self.get_value(raw_value).preprocess(preprocess_args)

    def postprocess(self, raw_value: Any, postprocess_args: dict) -> Any:
        if type(raw_value) in _PLAIN_TYPES:
            return raw_value
        return self.get_value(raw_value).postprocess(postprocess_args)

    def parse_arg(self, raw_type: type, arg: str) -> Any:
        value_type = self.get_type(raw_type, use_default=False)
        if value_type is not None:
            return value_type.parse_arg(raw_type, arg)
        return raw_type(arg)

    def iter_subvalues(self, raw_value: Any) -> Iterator[Value]:
        return self.get_value(raw_value).iter_subvalues()


def _plugin_value_type(type_name: str) -> type | None:
    """A value class some plugin provides for a persisted type name (loads plugins lazily)."""
    try:
        from redun.plugins.registry import get_value_type

        return get_value_type(type_name)
    except Exception:
        return None


# Leaf builtins whose hash is the pickle hash unless someone registers a proxy for them:
# the plain leaves less bool, which has its own proxy (``Bool``).
_PLAIN_TYPES = PLAIN_LEAF_TYPES - {bool}
# Stored as plain pickles unless a proxy claims the type (their args and results are the
# bulk of what a cached rerun loads, e.g. every TaskExpression's args tuple).
_PLAIN_TYPE_NAMES: dict[str, type] = {
    f"builtins.{raw.__name__}": raw
    for raw in (int, str, float, bytes, _NoneType, bool, tuple, list, dict, set)
}

_type_registry = TypeRegistry()


def get_type_registry() -> TypeRegistry:
    return _type_registry


_OVERRIDES: dict[type, bool] = {}


def _overrides_get_hash(cls: type) -> bool:
    known = _OVERRIDES.get(cls)
    if known is None:
        from redun.value.base import ProxyValue, Value

        known = cls.get_hash not in (Value.get_hash, ProxyValue.get_hash)
        _OVERRIDES[cls] = known
    return known
