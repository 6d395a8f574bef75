"""Test doubles for the executor contract: a scheduler that records callbacks, and jobs."""

from __future__ import annotations

import queue
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest


@dataclass
class FakeTask:
    func: Callable[..., Any]
    fullname: str = ""
    script: bool = False

    def __post_init__(self) -> None:
        self.fullname = self.fullname or self.func.__qualname__

    @property
    def load_module(self) -> str:
        return self.func.__module__

    def is_async(self) -> bool:
        import inspect

        return inspect.iscoroutinefunction(self.func)


@dataclass
class FakeJob:
    task: FakeTask
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)
    id: str = "job-1"

    def get_option(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)

    def get_options(self) -> dict:
        return self.options


class RecordingScheduler:
    """Collects ``done_job``/``reject_job`` calls made from executor threads."""

    def __init__(self) -> None:
        self.events: queue.Queue[tuple[str, Any, Any, Any]] = queue.Queue()
        self.executors: dict[str, Any] = {}

    def done_job(self, job: Any, result: Any) -> None:
        self.events.put(("done", job, result, None))

    def reject_job(self, job: Any, error: Any, error_traceback: Any = None) -> None:
        self.events.put(("reject", job, error, error_traceback))

    def next_event(self) -> tuple[str, Any, Any, Any]:
        return self.events.get(timeout=60)


@pytest.fixture
def scheduler() -> RecordingScheduler:
    return RecordingScheduler()


def job_for(func: Callable[..., Any], *args: Any, **kwargs: Any) -> FakeJob:
    return FakeJob(FakeTask(func), args=args, kwargs=kwargs)


@pytest.fixture
def make_job() -> Callable[..., FakeJob]:
    """``make_job(func, *args, **kwargs)``: a job calling ``func`` with those arguments."""
    return job_for
