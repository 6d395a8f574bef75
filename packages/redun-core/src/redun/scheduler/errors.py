"""Error values the scheduler records: the error, its task-level traceback, dry-run stops."""

from __future__ import annotations

import linecache
import os
import traceback as tb_module
from types import TracebackType
from typing import Any

from redun.errors import RedunError
from redun.hashing import hash_struct, hash_text
from redun.value import Value, get_type_registry


class DryRunResult(RedunError):
    """Raised when a dry run reaches jobs that would have to run."""


class Frame(Value):
    """One frame of a recorded traceback (plain strings only, so it always unpickles).

    The arguments are upstream's: ``locals`` fourth, the source line looked up unless
    given, and the ``job`` the frame ran in (kept on the frame, not pickled: a job holds
    live promises and expressions).
    """

    type_name = "redun.Frame"

    def __init__(
        self,
        filename: str,
        lineno: int,
        name: str,
        locals: dict | None = None,
        lookup_line: bool = True,
        line: str | None = None,
        job: Any = None,
    ):
        if line is None:
            line = linecache.getline(filename, lineno).strip() if lookup_line else ""
        self.filename = filename
        self.lineno = lineno
        self.name = name
        self.line = line
        self.locals = {k: repr(v)[:200] for k, v in (locals or {}).items()}
        self.job = job

    def __getstate__(self) -> dict:
        return {
            "filename": self.filename,
            "lineno": self.lineno,
            "name": self.name,
            "line": self.line,
            "locals": self.locals,
        }

    def __setstate__(self, state: dict) -> None:
        self.job = None
        self.__dict__.update(state)


class Traceback(Value):
    """A task's traceback: the error, its frames (``traceback.FrameSummary``) and log lines.

    The pickled state is upstream's, so recorded errors load in either engine.
    """

    type_name = "redun.Traceback"

    def __init__(self, error: Any, frames: list, logs: list[str] | None = None):
        self.error = error
        self.frames = frames
        self.logs = logs or []

    def __getstate__(self) -> dict:
        return {"error": self.error, "frames": self.frames, "logs": self.logs}

    def __setstate__(self, state: dict) -> None:
        self.error = state["error"]
        self.frames = state["frames"]
        self.logs = state.get("logs", [])

    @classmethod
    def from_error(cls, error: BaseException, trim_frames: bool = True) -> Traceback:
        frames = list(tb_module.extract_tb(error.__traceback__))
        if trim_frames:
            frames = cls.trim_frames(frames)
        return cls(error, frames)

    @classmethod
    def from_report(cls, error: BaseException, report: TracebackType | list | None) -> Traceback:
        """From what an executor reported: a traceback object or formatted lines (processes)."""
        if isinstance(report, list):
            return cls(error, [], [str(line) for line in report])
        if report is not None and error.__traceback__ is None:
            error = error.with_traceback(report)
        return cls.from_error(error)

    @staticmethod
    def trim_frames(frames: list) -> list:
        """Drop the frames of redun's own executor machinery above the user's code."""
        kept = []
        for frame in reversed(frames):
            if frame.filename.startswith(_EXECUTORS_DIR):
                break
            kept.append(frame)
        return list(reversed(kept))

    def format(self) -> list[str]:
        lines = []
        for frame in self.frames:
            lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}\n')
            lines.append(f"    {frame.line}\n")
        lines.extend(self.logs)
        return lines


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
        try:
            return hash_struct(
                [
                    "redun.ErrorValue",
                    registry.get_hash(self.error),
                    registry.get_hash(self.traceback),
                ]
            )
        except Exception:
            # Unpicklable exceptions (local classes, open handles) hash by their description.
            described = f"{type(self.error).__qualname__}: {self.error}"
            return hash_struct(["redun.ErrorValue", hash_text(described), ""])

    def __getstate__(self) -> dict:
        return {"error": self.error, "traceback": self.traceback}

    def __setstate__(self, state: dict) -> None:
        self.error = state["error"]
        self.traceback = state["traceback"]


_EXECUTORS_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "executors")

for _cls in (Frame, Traceback, ErrorValue):
    _cls.__module__ = "redun.scheduler"
