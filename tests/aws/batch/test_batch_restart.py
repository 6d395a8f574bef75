"""AWS Batch on the emulator: a run killed and started again reattaches to its jobs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from aws.batch.batch_queue import jobs_of, running_count, wait_until

pytestmark = pytest.mark.slow

RUN = """
import json, sys
from redun import Scheduler
import batch_flow

section, marker, db = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
scheduler = Scheduler(config={"backend": {"db_uri": "sqlite:///" + db}, "executors.batch": section})
expr = [batch_flow.wait_for(marker, 7)] + [batch_flow.wait_for(marker, i) for i in range(5)]
print("RESULT", scheduler.run(expr), flush=True)
"""


def _start(workdir: Path, tmp_path: Path, section: dict, log: Path) -> subprocess.Popen:
    import json

    args = [json.dumps(section), str(tmp_path / "go"), str(tmp_path / "redun.db")]
    return subprocess.Popen(
        [sys.executable, "-c", RUN, *args],
        cwd=workdir,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def test_restarted_run_reattaches_to_its_running_array_children(
    workdir: Path, tmp_path: Path, batch_config: dict, emulator_env: Any, emulator_bucket: str
) -> None:
    first = _start(workdir, tmp_path, batch_config, tmp_path / "first.log")
    try:
        wait_until(
            lambda: sum(map(running_count, jobs_of(emulator_env, emulator_bucket))) == 6,
            "6 running array children",
        )
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait()

    second_log = tmp_path / "second.log"
    second = _start(workdir, tmp_path, batch_config, second_log)
    try:
        wait_until(lambda: second_log.read_text().count("Reattach") == 6, "6 reattach lines")
        (tmp_path / "go").touch()
        assert second.wait(timeout=90) == 0, second_log.read_text()
    finally:
        if second.poll() is None:
            second.kill()
    assert "RESULT [7, 0, 1, 2, 3, 4]" in second_log.read_text()
    # Nothing was submitted again: still the one array job.
    (job,) = jobs_of(emulator_env, emulator_bucket)
    assert job["jobName"].endswith("-array")
