"""Reading pickles whose classes cannot be imported here, for display only.

A recorded value may be an instance of a class from code that is not importable in the
process looking at the record (``redun log`` on another machine, an old commit). For a
preview, such a class is replaced by a stand-in that keeps the pickled arguments and
attributes, so the value still shows as ``Name(arg, attr=...)``.
"""

from __future__ import annotations

import io
import pickle
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_local = threading.local()


class PreviewClass:
    """Base of the stand-ins built for classes a pickle names but this process lacks."""

    _module = "module"
    _name = "name"

    def __new__(cls, *args: Any, **kwargs: Any) -> PreviewClass:
        self = super().__new__(cls)
        self.__dict__["_preview_args"] = args
        self.__dict__.update(kwargs)
        return self

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.__dict__["_preview_args"] = args
        self.__dict__.update(kwargs)

    def __setstate__(self, state: Any) -> None:
        if isinstance(state, dict):
            self.__dict__.update(state)
        else:
            self.__dict__["_preview_state"] = state

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"{name} not an attribute of {self._name} PreviewClass")

    def __getitem__(self, index: int) -> Any:
        return self.__dict__["_preview_args"][index]

    def __repr__(self) -> str:
        parts = [repr(arg) for arg in self.__dict__.get("_preview_args", ())]
        parts += [
            f"{key}={value!r}" for key, value in self.__dict__.items() if key != "_preview_args"
        ]
        return f"{self._name}({', '.join(parts)})"

    __str__ = __repr__


class PreviewUnpicklable:
    """What a preview shows when the pickle cannot be read at all."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def __repr__(self) -> str:
        return f"Unpicklable('{self.error}')"


class PreviewingUnpickler(pickle.Unpickler):
    """An unpickler that substitutes a :class:`PreviewClass` for any missing class."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._stand_ins: dict[tuple[str, str], type] = {}

    def find_class(self, module: str, name: str) -> Any:
        try:
            return super().find_class(module, name)
        except (AttributeError, ImportError):
            key = (module, name)
            if key not in self._stand_ins:
                namespace = {"_module": module, "_name": name, "__module__": module}
                self._stand_ins[key] = type(name, (PreviewClass,), namespace)
            return self._stand_ins[key]


def pickle_preview(data: bytes, raise_error: bool = False) -> Any:
    """Unpickle ``data``, standing in for missing classes; never raises unless asked."""
    try:
        with with_pickle_preview(raise_error):
            return PreviewingUnpickler(io.BytesIO(data)).load()
    except Exception as error:
        if raise_error:
            raise
        return PreviewUnpicklable(error)


@contextmanager
def with_pickle_preview(raise_error: bool = False) -> Iterator[None]:
    """Make :func:`redun.utils.pickle_loads` preview instead of failing, in this thread."""
    depth = getattr(_local, "depth", 0)
    previous = getattr(_local, "raise_error", False)
    _local.depth, _local.raise_error = depth + 1, raise_error
    try:
        yield
    finally:
        _local.depth, _local.raise_error = depth, previous


def preview_active() -> tuple[bool, bool]:
    """Whether a preview context is active in this thread, and whether it raises."""
    return getattr(_local, "depth", 0) > 0, getattr(_local, "raise_error", False)
