"""Ctrl-C with remote jobs in flight: detach (the default) or terminate."""

from __future__ import annotations

import os
import queue
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from redun.errors import JobInterrupted
from redun.executors.remote.lifecycle import LifecycleSettings, RemoteJobLifecycle
from redun.executors.remote.local_service import LocalProcessService

pytestmark = pytest.mark.slow


@dataclass
class QueuedJob:
    """What the lifecycle reads of a scheduler's job."""

    task: Any
    args: tuple
    eval_hash: str
    id: str = "0123456789ab"
    kwargs: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)

    def get_option(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)


def _lifecycle(tmp_path: Path, on_interrupt: str) -> tuple[RemoteJobLifecycle, list, queue.Queue]:
    messages: list[str] = []
    outcomes: queue.Queue = queue.Queue()
    settings = LifecycleSettings(
        scratch=str(tmp_path / "scratch"),
        poll_interval=0.05,
        stale_time=0.05,
        on_interrupt=on_interrupt,
        code_package={"includes": ["*.py"], "excludes": []},
    )
    lifecycle = RemoteJobLifecycle(
        "remote",
        LocalProcessService(str(tmp_path / "scratch" / "local_jobs")),
        settings,
        on_done=lambda job, result: outcomes.put(("done", result)),
        on_failed=lambda job, error, lines: outcomes.put(("failed", error)),
        log=lambda *m: messages.append(" ".join(map(str, m))),
    )
    return lifecycle, messages, outcomes


def _wait_running(service: LocalProcessService, count: int) -> list:
    for _ in range(400):
        active = service.list_active()
        if sum(len(a.eval_hashes) for a in active) >= count:
            return active
        time.sleep(0.05)
    raise AssertionError("jobs never started")


def _pids(tmp_path: Path) -> list[int]:
    return [int(p.read_text()) for p in (tmp_path / "scratch" / "local_jobs").glob("*/*/pid")]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _interrupted(outcomes: queue.Queue) -> list[str]:
    """The JobInterrupted messages the lifecycle reported (at once: nothing waits)."""
    found = []
    while not outcomes.empty():
        kind, error = outcomes.get_nowait()
        assert kind == "failed" and isinstance(error, JobInterrupted), (kind, error)
        found.append(str(error))
    return found


def test_terminate_cancels_submitted_jobs(tmp_path: Path, flow: Any) -> None:
    lifecycle, messages, outcomes = _lifecycle(tmp_path, "terminate")
    for i in range(2):
        lifecycle.submit(QueuedJob(flow.nap, (60,), eval_hash=f"{i:040x}"))
    _wait_running(lifecycle.service, 2)
    lifecycle.interrupt()
    lifecycle.stop()
    assert lifecycle.service.list_active() == []
    assert not any(_alive(pid) for pid in _pids(tmp_path))
    assert any("Terminating 2 local job(s)" in m for m in messages)
    reported = _interrupted(outcomes)
    assert len(reported) == 2
    assert all(m.endswith("was terminated; rerun to run it again") for m in reported)


def test_detach_leaves_jobs_running_and_says_how_to_reattach(tmp_path: Path, flow: Any) -> None:
    lifecycle, messages, outcomes = _lifecycle(tmp_path, "detach")
    lifecycle.submit(QueuedJob(flow.nap, (60,), eval_hash="a" * 40))
    _wait_running(lifecycle.service, 1)
    lifecycle.interrupt()
    lifecycle.stop()
    try:
        assert len(lifecycle.service.list_active()) == 1
        assert any("1 local job(s) keep running (detached)" in m for m in messages)
        assert any("reattach" in m for m in messages)
        (reported,) = _interrupted(outcomes)
        assert reported.endswith("keeps running (detached); rerun to reattach to it")
    finally:
        lifecycle.service.cancel([a.remote_id for a in lifecycle.service.list_active()], "test")


def test_jobs_queued_at_interrupt_are_never_submitted(tmp_path: Path, flow: Any) -> None:
    lifecycle, messages, outcomes = _lifecycle(tmp_path, "detach")
    lifecycle.settings.stale_time = 60
    lifecycle.submit(QueuedJob(flow.nap, (60,), eval_hash="b" * 40))
    lifecycle.interrupt()
    lifecycle.stop()
    assert lifecycle.service.calls.get("submit", 0) == 0
    assert any("1 queued job(s) were not submitted" in m for m in messages)
    assert _interrupted(outcomes) == [
        "interrupted by Ctrl-C before it was submitted to local; rerun to run it"
    ]
