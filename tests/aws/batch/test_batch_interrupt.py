"""Ctrl-C on a real ``redun run`` with AWS Batch jobs running on the emulator: with
``on_interrupt = terminate`` the run's jobs are terminated before it exits; with the
default ``detach`` they keep running, the run says how to reattach or kill them, and
rerunning the same command reattaches. Either way the run exits at once (exit code
130), never waiting out ``interrupt_grace`` for jobs it no longer watches."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest
from aws.batch.batch_queue import jobs_of, running_count, wait_until
from aws.batch.redun_cli import REDUN, write_config

pytestmark = pytest.mark.slow

CHILDREN = 6  # one array job
JOBS = CHILDREN + 1  # and one single job
# Longer than any wait below: a run that waited it out would fail the test.
GRACE = {"interrupt_grace": "300"}


def _start(workdir: Path, config_dir: Path, marker: Path, log: Path) -> subprocess.Popen:
    command = [REDUN, "-c", str(config_dir), "run", "batch_flow.py", "wait_all"]
    command += ["--path", str(marker), "--n", str(CHILDREN)]
    return subprocess.Popen(
        command, cwd=workdir, stdout=log.open("w"), stderr=subprocess.STDOUT, text=True
    )


def _interrupt_when_running(run: subprocess.Popen, emulator: Any, bucket: str, log: Path) -> str:
    """Ctrl-C once every job runs; the run's output once it exited (by itself)."""
    try:
        wait_until(
            lambda: (
                run.poll() is None and sum(map(running_count, jobs_of(emulator, bucket))) == JOBS
            ),
            f"{JOBS} running jobs",
        )
        run.send_signal(signal.SIGINT)
        code = run.wait(timeout=60)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    output = log.read_text()
    assert code == 130, output
    return output


def _batch_jobs(emulator: Any, bucket: str) -> tuple[str, str]:
    """The ids of the run's array job and single job."""
    jobs = {"arrayProperties" in job: job["jobId"] for job in jobs_of(emulator, bucket)}
    return jobs[True], jobs[False]


def _each_job(emulator: Any, array_id: str, single_id: str) -> list[dict]:
    """The single job and every child of the array, described."""
    ids = [single_id] + [f"{array_id}:{index}" for index in range(CHILDREN)]
    return emulator.client("batch").describe_jobs(jobs=ids)["jobs"]


def test_ctrl_c_with_terminate_terminates_the_runs_jobs(
    workdir: Path, tmp_path: Path, batch_config: dict, emulator_env: Any, emulator_bucket: str
) -> None:
    section = {**batch_config, "on_interrupt": "terminate"}
    config_dir = write_config(workdir, section, db=tmp_path / "redun.db", scheduler=GRACE)
    log = tmp_path / "run.log"
    run = _start(workdir, config_dir, tmp_path / "never", log)
    output = _interrupt_when_running(run, emulator_env, emulator_bucket, log)
    assert f"Terminating {JOBS} AWS Batch job(s)" in output
    # The executor let go of every job: nothing is left to wait for, and none is claimed.
    assert "waiting up to" not in output

    array_id, single_id = _batch_jobs(emulator_env, emulator_bucket)

    def stopped() -> list[dict] | None:
        jobs = _each_job(emulator_env, array_id, single_id)
        return jobs if all(job["status"] == "FAILED" for job in jobs) else None

    jobs = wait_until(stopped, "every job to be terminated")
    assert len(jobs) == JOBS
    assert {job["statusReason"] for job in jobs} == {"redun run interrupted"}


def test_ctrl_c_detaches_by_default_and_a_rerun_reattaches(
    workdir: Path, tmp_path: Path, batch_config: dict, emulator_env: Any, emulator_bucket: str
) -> None:
    config_dir = write_config(workdir, batch_config, db=tmp_path / "redun.db", scheduler=GRACE)
    marker = tmp_path / "go"
    first_log = tmp_path / "first.log"
    first = _start(workdir, config_dir, marker, first_log)
    output = _interrupt_when_running(first, emulator_env, emulator_bucket, first_log)
    assert (
        f"{JOBS} AWS Batch job(s) keep running (detached): rerun the same command to "
        "reattach to them, or stop them with 'redun aws kill-jobs' (queue redun-local)."
    ) in output
    assert "waiting up to" not in output
    array_id, single_id = _batch_jobs(emulator_env, emulator_bucket)
    jobs = _each_job(emulator_env, array_id, single_id)
    assert [job["status"] for job in jobs] == ["RUNNING"] * JOBS

    # What the message says: the same command again reattaches instead of resubmitting.
    second_log = tmp_path / "second.log"
    second = _start(workdir, config_dir, marker, second_log)
    try:
        wait_until(lambda: second_log.read_text().count("Reattach") == JOBS, "reattach lines")
        marker.touch()
        assert second.wait(timeout=90) == 0, second_log.read_text()
    finally:
        if second.poll() is None:
            second.kill()
            second.wait()
    assert "[0, 1, 2, 3, 4, 5, 'alone']" in second_log.read_text()
    # Nothing was submitted again.
    assert _batch_jobs(emulator_env, emulator_bucket) == (array_id, single_id)
