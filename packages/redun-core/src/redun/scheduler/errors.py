"""Error values the scheduler records: the error, its task-level traceback, dry-run stops."""

from __future__ import annotations

import traceback as tb_module
from types import TracebackType
from typing import Any

from redun.errors import RedunError
from redun.hashing import hash_struct
from redun.value import Value, get_type_registry


class DryRunResult(RedunError):
    """Raised when a dry run reaches jobs that would have to run."""


class Frame(Value):
    """One frame of a recorded traceback (plain strings only, so it always unpickles)."""

    type_name = "redun.Frame"

    def __init__(
        self, filename: str, lineno: int, name: str, line: str = "", locals: dict | None = None
    ):
        self.filename = filename
        self.lineno = lineno
        self.name = name
        self.line = line
        self.locals = {k: repr(v)[:200] for k, v in (locals or {}).items()}

    def __getstate__(self) -> dict:
        return {
            "filename": self.filename,
            "lineno": self.lineno,
            "name": self.name,
            "line": self.line,
            "locals": self.locals,
        }

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)


class Traceback(Value):
    """A task traceback that survives pickling (frames as text)."""

    type_name = "redun.Traceback"

    def __init__(self, error: Any, frames: list[Frame], logs: list[str] | None = None):
        self.error = error
        self.frames = frames
        self.logs = logs or []

    def __getstate__(self) -> dict:
        return {"error": repr(self.error), "frames": self.frames, "logs": self.logs}

    def __setstate__(self, state: dict) -> None:
        self.error = state["error"]
        self.frames = state["frames"]
        self.logs = state.get("logs", [])

    @classmethod
    def from_error(
        cls, error: BaseException, trace: TracebackType | list | None = None
    ) -> Traceback:
        if isinstance(trace, list):
            lines = [str(line) for line in trace]
            return cls(error, [], lines)
        trace = trace or error.__traceback__
        frames = [
            Frame(f.filename, f.lineno or 0, f.name, f.line or "")
            for f in tb_module.extract_tb(trace)
        ]
        return cls(error, frames)

    def format(self) -> list[str]:
        if self.logs and not self.frames:
            return list(self.logs)
        return [
            f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}\n    {frame.line}\n'
            for frame in self.frames
        ]


class ErrorValue(Value):
    """An exception raised by a task, recorded as the result of its call node."""

    type_name = "redun.ErrorValue"

    def __init__(self, error: BaseException, traceback: Traceback | None = None):
        self.error = error
        self.traceback = traceback

    def __repr__(self) -> str:
        return f"ErrorValue({self.error!r})"

    def get_hash(self, data: bytes | None = None) -> str:
        registry = get_type_registry()
        return hash_struct(
            ["redun.ErrorValue", registry.get_hash(self.error), registry.get_hash(self.traceback)]
        )

    def __getstate__(self) -> dict:
        return {"error": self.error, "traceback": self.traceback}

    def __setstate__(self, state: dict) -> None:
        self.error = state["error"]
        self.traceback = state["traceback"]


for _cls in (Frame, Traceback, ErrorValue):
    _cls.__module__ = "redun.scheduler"
