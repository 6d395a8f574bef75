"""Value: how redun hashes, serializes, validates and stages any piece of data.

Subclasses register themselves with the global TypeRegistry as they are defined, under
``type_name`` (default ``module.Class``; a proxy uses the name of the type it wraps).
That name is what the database stores, so it must never change for a persisted type.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from redun.errors import RedunError
from redun.hashing import hash_tag_bytes
from redun.pickling import MIME_TYPE_PICKLE, pickle_dumps, pickle_loads
from redun.value.nested import iter_nested_value


class InvalidValueError(RedunError):
    """A stored value can no longer be used (e.g. it cannot be deserialized)."""


def get_raw_type_name(raw_type: Any) -> str:
    return f"{raw_type.__module__}.{raw_type.__name__}"


class MetaValue(type):
    """Registers each Value subclass with the global TypeRegistry when it is defined."""

    def __init__(cls, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **kwargs: Any):
        super().__init__(name, bases, namespace, **kwargs)
        if not cls.__dict__.get("type_name"):
            raw = cls.__dict__.get("type")
            cls.type_name = get_raw_type_name(raw if raw is not None else cls)
        if getattr(cls, "register", True):
            from redun.value.registry import get_type_registry

            get_type_registry().register(cls)


class Value(metaclass=MetaValue):
    """Base class of every value redun tracks: data, files, tasks, expressions, errors."""

    type_name: ClassVar[str | None] = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def is_valid(self) -> bool:
        """Whether a cached copy may still be used (a File checks its current hash)."""
        return True

    def get_hash(self, data: bytes | None = None) -> str:
        if data is None:
            data = pickle_dumps(self)
        return hash_tag_bytes("Value", data)

    def get_serialization_format(self) -> str:
        return MIME_TYPE_PICKLE

    def serialize(self) -> bytes:
        return pickle_dumps(self)

    @classmethod
    def deserialize(cls, raw_type: type, data: bytes) -> Any:
        return pickle_loads(data)

    def __getstate__(self) -> dict:
        raise NotImplementedError(f"{type(self).__name__} must define __getstate__")

    def __setstate__(self, state: dict) -> None:
        raise NotImplementedError(f"{type(self).__name__} must define __setstate__")

    def preprocess(self, preprocess_args: dict) -> Any:
        """Called before a task receives the value (e.g. staging)."""
        return self

    def postprocess(self, postprocess_args: dict) -> Any:
        """Called after a task returns the value (e.g. re-hashing an output file)."""
        return self

    @classmethod
    def parse_arg(cls, raw_type: type, arg: str) -> Any:
        return cls(arg)

    def iter_subvalues(self) -> Iterator[Value]:
        return iter(())


class ProxyValue(Value):
    """Customizes hashing/serialization of a raw Python type (``type = X``)."""

    proxy: ClassVar[bool] = True
    type: ClassVar[Any] = None

    def __init__(self, instance: Any) -> None:
        self.instance = instance

    def get_hash(self, data: bytes | None = None) -> str:
        if data is None:
            data = pickle_dumps(self.instance)
        return hash_tag_bytes("Value", data)

    def serialize(self) -> bytes:
        return pickle_dumps(self.instance)

    def preprocess(self, preprocess_args: dict) -> Any:
        return self.instance

    def postprocess(self, postprocess_args: dict) -> Any:
        return self.instance

    def iter_subvalues(self) -> Iterator[Value]:
        if isinstance(self.instance, Value):
            return
        for item in iter_nested_value(self.instance):
            if isinstance(item, Value):
                yield item
                yield from item.iter_subvalues()
