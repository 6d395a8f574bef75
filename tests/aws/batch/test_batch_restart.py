"""AWS Batch on the emulator: reattach after the scheduler is killed, Ctrl-C's terminate."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

RUN = """
import json, os, sys
sys.path.insert(0, os.getcwd())
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


def _wait(predicate: Any, what: str, timeout: float = 90) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _jobs_of(emulator: Any, bucket: str) -> list[dict]:
    """This test's jobs (array children excluded): their command names its bucket."""
    batch = emulator.client("batch")
    ids = []
    for status in (
        "SUBMITTED",
        "PENDING",
        "RUNNABLE",
        "STARTING",
        "RUNNING",
        "SUCCEEDED",
        "FAILED",
    ):
        for job in batch.list_jobs(jobQueue="redun-local", jobStatus=status)["jobSummaryList"]:
            if ":" not in job["jobId"]:
                ids.append(job["jobId"])
    described = []
    for start in range(0, len(ids), 100):
        described += batch.describe_jobs(jobs=ids[start : start + 100])["jobs"]
    return [j for j in described if bucket in " ".join(j.get("container", {}).get("command", []))]


def _running(job: dict) -> int:
    """Running jobs: the job itself, or its array's running children."""
    if "arrayProperties" in job:
        return job["arrayProperties"]["statusSummary"].get("RUNNING", 0)
    return int(job["status"] == "RUNNING")


def test_restarted_run_reattaches_to_its_running_array_children(
    workdir: Path, tmp_path: Path, batch_config: dict, emulator_env: Any, emulator_bucket: str
) -> None:
    first = _start(workdir, tmp_path, batch_config, tmp_path / "first.log")
    try:
        _wait(
            lambda: sum(map(_running, _jobs_of(emulator_env, emulator_bucket))) == 6,
            "6 running array children",
        )
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait()

    second_log = tmp_path / "second.log"
    second = _start(workdir, tmp_path, batch_config, second_log)
    try:
        _wait(lambda: second_log.read_text().count("Reattach") == 6, "6 reattach lines")
        (tmp_path / "go").touch()
        assert second.wait(timeout=90) == 0, second_log.read_text()
    finally:
        if second.poll() is None:
            second.kill()
    assert "RESULT [7, 0, 1, 2, 3, 4]" in second_log.read_text()
    # Nothing was submitted again: still the one array job.
    (job,) = _jobs_of(emulator_env, emulator_bucket)
    assert job["jobName"].endswith("-array")


def test_terminate_on_interrupt_stops_the_runs_jobs(
    batch_scheduler: Any, flow: Any, emulator_env: Any, emulator_bucket: str, tmp_path: Path
) -> None:
    scheduler = batch_scheduler(on_interrupt="terminate")
    executor = scheduler.executors["batch"]
    outcome: dict = {}

    def run() -> None:
        try:
            scheduler.run(flow.wait_for(str(tmp_path / "never"), 1))
        except BaseException as error:  # noqa: BLE001 - the run ends by the interrupt
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    _wait(lambda: sum(map(_running, _jobs_of(emulator_env, emulator_bucket))), "a running job")
    # What the scheduler does on the first Ctrl-C: interrupt its executors, then stop.
    executor.interrupt()
    scheduler.reject_job(None, KeyboardInterrupt())
    thread.join(timeout=60)
    assert isinstance(outcome.get("error"), KeyboardInterrupt)
    batch = emulator_env.client("batch")
    (job_id,) = [job["jobId"] for job in _jobs_of(emulator_env, emulator_bucket)]
    job = _wait(
        lambda: [j for j in batch.describe_jobs(jobs=[job_id])["jobs"] if j["status"] == "FAILED"],
        "the job to be terminated",
    )[0]
    assert job["statusReason"] == "redun run interrupted"
