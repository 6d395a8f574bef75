"""Proxies for builtins whose default (pickle) treatment is not enough."""

from __future__ import annotations

import builtins
import datetime
import importlib
from collections.abc import Callable
from enum import Enum
from typing import Any

from redun.config_values import to_bool
from redun.hashing import hash_struct, hash_tag_bytes
from redun.pickling import pickle_dumps, pickle_loads
from redun.source import get_func_source
from redun.value.base import InvalidValueError, ProxyValue


class Bool(ProxyValue):
    """bool with command-line parsing."""

    type = bool
    type_name = "builtins.bool"

    @classmethod
    def parse_arg(cls, raw_type: builtins.type, arg: str) -> Any:
        result = to_bool(arg)
        if result is None:
            raise ValueError(f'Unknown bool "{arg}"')
        return result


class Set(ProxyValue):
    """set hashed over its sorted items, so iteration order never changes the hash."""

    type = set
    type_name = "builtins.set"

    def get_hash(self, data: bytes | None = None) -> str:
        return hash_tag_bytes("Value.set", pickle_dumps(sorted(self.instance)))


class EnumType(ProxyValue):
    """Enum members, parsed on the command line by member name."""

    type = Enum
    type_name = "enum.Enum"

    @classmethod
    def parse_arg(cls, raw_type: builtins.type, arg: str) -> Any:
        members = {item.name: item for item in raw_type}  # type: ignore[attr-defined]
        name = arg
        if "." in arg:
            prefix, name = arg.split(".", 1)
            if prefix != raw_type.__name__:
                raise ValueError(f"{arg} is not a valid {raw_type.__name__}")
        if name not in members:
            raise ValueError(f"{arg} is not a valid {raw_type.__name__}")
        return members[name]


class DatetimeType(ProxyValue):
    """datetime, parsed from ISO 8601 on the command line."""

    type = datetime.datetime
    type_name = "datetime.datetime"

    @classmethod
    def parse_arg(cls, raw_type: builtins.type, arg: str) -> datetime.datetime:
        try:
            return datetime.datetime.fromisoformat(arg)
        except ValueError as error:
            raise ValueError(f"'{arg}' is not an ISO date/time") from error


def _unknown_function(fullname: str) -> Callable[..., Any]:
    def unknown_function(*args: Any, **kwargs: Any) -> Any:
        raise ValueError(f"Function '{fullname}' cannot be found.")

    unknown_function.unknown_function = True  # type: ignore[attr-defined]
    return unknown_function


class Function(ProxyValue):
    """Module-level functions, hashed by full name and source; valid while re-importable."""

    type = type(lambda: None)
    type_name = "builtins.function"

    def __init__(self, instance: Callable[..., Any]) -> None:
        super().__init__(instance)
        self.module = instance.__module__
        self.name = instance.__name__
        if not getattr(instance, "unknown_function", False) and "<locals>" in instance.__qualname__:
            raise InvalidValueError(
                "functions used as redun arguments or results must be defined globally."
            )
        self._hash = hash_struct(
            ["Value.function", self.fullname.encode("utf8"), "source", get_func_source(instance)]
        )

    def __repr__(self) -> str:
        return f"<function {self.fullname}>"

    @property
    def fullname(self) -> str:
        return f"{self.module}.{self.name}"

    def __getstate__(self) -> dict:
        return {"hash": self._hash, "module": self.module, "name": self.name}

    def __setstate__(self, state: dict) -> None:
        self._hash = state["hash"]
        self.module = state["module"]
        self.name = state["name"]
        try:
            self.instance = getattr(importlib.import_module(self.module), self.name)
        except (ImportError, AttributeError):
            self.instance = _unknown_function(self.fullname)

    def get_hash(self, data: bytes | None = None) -> str:
        return self._hash

    def is_valid(self) -> bool:
        return not getattr(self.instance, "unknown_function", False)

    def serialize(self) -> bytes:
        return pickle_dumps(self)

    @classmethod
    def deserialize(cls, raw_type: Any, data: bytes) -> Any:
        return pickle_loads(data).instance

    @classmethod
    def parse_arg(cls, raw_type: builtins.type, arg: str) -> Any:
        try:
            module_name, func_name = arg.rsplit(".", 1)
            return getattr(importlib.import_module(module_name), func_name)
        except ValueError as error:
            raise ValueError(f"Unexpected format for function name: {arg}") from error
        except (ImportError, AttributeError) as error:
            raise ValueError(f"Function not found: {arg}") from error
