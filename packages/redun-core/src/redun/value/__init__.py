"""Values: hashing, serialization, validity and staging of everything redun records."""

from __future__ import annotations

from redun.value.base import InvalidValueError, MetaValue, ProxyValue, Value, get_raw_type_name

# Register the built-in proxies (import for side effect).
from redun.value.builtin import Bool, DatetimeType, EnumType, Function, Set  # noqa: E402
from redun.value.file_cache import FileCache
from redun.value.registry import TypeRegistry, get_type_registry

__all__ = [
    "Bool",
    "DatetimeType",
    "EnumType",
    "FileCache",
    "Function",
    "InvalidValueError",
    "MetaValue",
    "ProxyValue",
    "Set",
    "TypeRegistry",
    "Value",
    "get_raw_type_name",
    "get_type_registry",
]
