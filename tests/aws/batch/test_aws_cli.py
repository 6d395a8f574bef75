"""``redun aws list-jobs|kill-jobs|logs`` against the emulator's queue."""

from __future__ import annotations

import subprocess
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from aws.batch.redun_cli import redun, write_config

pytestmark = pytest.mark.slow


def _ini(workdir: Path, section: dict[str, str]) -> Path:
    return write_config(workdir, section)


def _redun(config_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return redun(config_dir, "aws", *args)


def test_list_jobs_and_logs_show_a_finished_job(
    batch_scheduler: Any, flow: Any, workdir: Path, batch_config: dict
) -> None:
    # A prefix of its own: the session's queue holds other tests' jobs too.
    batch_config["job_name_prefix"] = prefix = f"cli-{uuid.uuid4().hex[:8]}"
    with pytest.raises(ValueError):
        batch_scheduler(job_name_prefix=prefix).run(flow.boom(5))
    config_dir = _ini(workdir, batch_config)
    listed = _redun(config_dir, "list-jobs", "-s", "FAILED")
    assert listed.returncode == 0, listed.stderr
    (line,) = [row for row in listed.stdout.splitlines() if prefix in row]
    job_id = line.split()[0]
    assert "FAILED" in line
    logs = _redun(config_dir, "logs", job_id)
    assert logs.returncode == 0, logs.stderr
    assert "about to fail on 5" in logs.stdout


def test_kill_jobs_terminates_unfinished_jobs(
    batch_scheduler: Any, flow: Any, workdir: Path, batch_config: dict, tmp_path: Path
) -> None:
    batch_config["job_name_prefix"] = prefix = f"kill-{uuid.uuid4().hex[:8]}"
    scheduler = batch_scheduler(job_name_prefix=prefix)
    outcome: dict = {}

    def run() -> None:
        try:
            scheduler.run(flow.wait_for(str(tmp_path / "never"), 1))
        except Exception as error:
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    config_dir = _ini(workdir, batch_config)
    deadline = time.monotonic() + 60
    while "RUNNING" not in _redun(config_dir, "list-jobs", "-s", "RUNNING").stdout:
        assert time.monotonic() < deadline, "the job never ran"
        time.sleep(0.2)
    killed = _redun(config_dir, "kill-jobs", "-y")
    assert killed.returncode == 0, killed.stderr
    assert "terminated" in killed.stdout
    thread.join(timeout=60)
    assert "Terminated by redun aws kill-jobs" in str(outcome.get("error"))


def test_logs_without_a_job_is_a_usage_error(workdir: Path, batch_config: dict) -> None:
    result = _redun(_ini(workdir, batch_config), "logs")
    assert result.returncode == 2
    assert "redun: error: redun aws logs needs a JOB id" in result.stderr
