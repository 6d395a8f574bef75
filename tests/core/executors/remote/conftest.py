"""A remote executor over core's LocalProcessService, and a workflow it runs.

Jobs really run: each is a ``redun oneshot`` process that unpacks the code package of
the test's working directory, so the workflow module is copied into ``tmp_path`` and
the test runs from there.
"""

from __future__ import annotations

import importlib
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from redun import Scheduler
from redun.executors.remote import RemoteExecutor
from redun.executors.remote.local_service import LocalProcessService

HERE = Path(__file__).parent
FAST = {"job_monitor_interval": "0.05", "job_stale_time": "0.1"}


class LocalRemoteExecutor(RemoteExecutor):
    """The remote lifecycle over local processes, as a plugin's executor would be."""

    executor_type: ClassVar[str] = "test_local_remote"

    def make_service(self) -> LocalProcessService:
        timeout = self.config.get("timeout")
        return LocalProcessService(
            os.path.join(self.scratch_root(), "local_jobs"),
            timeout=float(timeout) if timeout else None,
        )


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding only the workflow module (the code package)."""
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(HERE / "remote_flow.py", work / "remote_flow.py")
    monkeypatch.chdir(work)
    return work


@pytest.fixture
def flow(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The workflow module, imported from the working directory as ``redun run`` would."""
    monkeypatch.syspath_prepend(str(workdir))
    sys.modules.pop("remote_flow", None)
    try:
        yield importlib.import_module("remote_flow")
    finally:
        sys.modules.pop("remote_flow", None)


def make_executor(scratch: Path, **config: str) -> LocalRemoteExecutor:
    return LocalRemoteExecutor("remote", config={"scratch": str(scratch), **FAST, **config})


@pytest.fixture
def remote_executor() -> Any:
    """``remote_executor(config)``: a LocalRemoteExecutor named ``remote``."""
    return lambda config: LocalRemoteExecutor("remote", config=config)


@pytest.fixture
def remote_scheduler(tmp_path: Path, flow: Any) -> Iterator[Any]:
    """``remote_scheduler(**config)``: a Scheduler whose ``remote`` executor runs jobs
    as local processes, with scratch under ``tmp_path``."""
    made = []

    def build(**config: str) -> Scheduler:
        scheduler = Scheduler(config={"backend": {"db_uri": f"sqlite:///{tmp_path}/redun.db"}})
        scheduler.add_executor(make_executor(tmp_path / "scratch", **config))
        made.append(scheduler)
        return scheduler

    yield build
