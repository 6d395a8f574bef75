"""A scheduler killed mid-run and started again reattaches to its running jobs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from redun.executors.remote.local_service import LocalProcessService

pytestmark = pytest.mark.slow

RUN = """
import os, sys
from redun import Scheduler
from redun.executors.remote import RemoteExecutor
from redun.executors.remote.local_service import LocalProcessService
import remote_flow

class LocalRemoteExecutor(RemoteExecutor):
    executor_type = "test_local_remote"
    def make_service(self):
        return LocalProcessService(os.path.join(self.scratch_root(), "local_jobs"))

scratch, marker, db = sys.argv[1:4]
scheduler = Scheduler(config={"backend": {"db_uri": "sqlite:///" + db}})
config = {"scratch": scratch, "job_monitor_interval": "0.05", "job_stale_time": "0.05"}
scheduler.add_executor(LocalRemoteExecutor("remote", config=config))
expr = [remote_flow.wait_for(marker, 7)] + [remote_flow.wait_for(marker, i) for i in range(6)]
print("RESULT", scheduler.run(expr), flush=True)
"""


def _start(workdir: Path, tmp_path: Path, log: Path) -> subprocess.Popen:
    args = [str(tmp_path / "scratch"), str(tmp_path / "go"), str(tmp_path / "redun.db")]
    return subprocess.Popen(
        [sys.executable, "-c", RUN, *args],
        cwd=workdir,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def _wait(predicate: Any, what: str, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_restarted_run_reattaches_instead_of_resubmitting(workdir: Path, tmp_path: Path) -> None:
    service = LocalProcessService(str(tmp_path / "scratch" / "local_jobs"))
    first = _start(workdir, tmp_path, tmp_path / "first.log")
    try:
        # One single job and one array of six children, all running.
        _wait(lambda: sum(len(a.eval_hashes) for a in service.list_active()) == 7, "7 jobs")
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
    submitted = sorted(p.name for p in (tmp_path / "scratch" / "local_jobs").iterdir())

    second_log = tmp_path / "second.log"
    second = _start(workdir, tmp_path, second_log)
    try:
        _wait(lambda: second_log.read_text().count("Reattach") == 7, "7 reattach lines")
        (tmp_path / "go").touch()
        assert second.wait(timeout=60) == 0, second_log.read_text()
    finally:
        if second.poll() is None:
            second.kill()
    assert "RESULT [7, 0, 1, 2, 3, 4, 5]" in second_log.read_text()
    # Nothing was submitted again.
    assert sorted(p.name for p in (tmp_path / "scratch" / "local_jobs").iterdir()) == submitted
