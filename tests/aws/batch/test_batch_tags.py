"""Upstream's job tags: each redun job run on AWS Batch records ``aws_batch_job`` (the
Batch job id, an array child's ``PARENT:INDEX``) and ``aws_log_stream``, and
``redun log`` / ``redun tag list`` show them."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from aws.batch.batch_queue import jobs_of, wait_until
from aws.batch.redun_cli import redun, write_config

pytestmark = pytest.mark.slow


def test_jobs_record_their_batch_job_and_log_stream(
    batch_scheduler: Any,
    flow: Any,
    emulator_env: Any,
    emulator_bucket: str,
    batch_config: dict,
    tmp_path: Path,
) -> None:
    scheduler = batch_scheduler()
    assert scheduler.run(flow.fan_out(5)) == [1, 2, 3, 4, 5]
    with pytest.raises(ValueError):
        scheduler.run(flow.boom(2))
    config_dir = write_config(tmp_path, batch_config, db=tmp_path / "redun.db")

    jobs = {
        job["jobName"].endswith("-array"): job for job in jobs_of(emulator_env, emulator_bucket)
    }
    array, failed = jobs[True], jobs[False]
    values = redun(config_dir, "tag", "list", "--values")
    assert values.returncode == 0, values.stderr
    for index in range(5):
        assert f"aws_batch_job={array['jobId']}:{index} " in values.stdout
    # The failed job too, with the stream its log tail came from.
    log = redun(config_dir, "log", failed["tags"]["redun_job_id"])
    assert log.returncode == 0, log.stderr
    assert f"aws_batch_job={failed['jobId']}" in log.stdout
    assert f"aws_log_stream={failed['container']['logStreamName']}" in log.stdout
    # Each array child's own stream.
    batch = emulator_env.client("batch")
    child = batch.describe_jobs(jobs=[f"{array['jobId']}:3"])["jobs"][0]
    assert f"aws_log_stream={child['container']['logStreamName']} " in values.stdout


def test_a_running_job_already_shows_its_batch_job(
    batch_scheduler: Any,
    flow: Any,
    emulator_env: Any,
    emulator_bucket: str,
    batch_config: dict,
    tmp_path: Path,
) -> None:
    marker = tmp_path / "go"
    scheduler = batch_scheduler()
    outcome: dict = {}
    thread = threading.Thread(
        target=lambda: outcome.setdefault("result", scheduler.run(flow.wait_for(str(marker), 4))),
        daemon=True,
    )
    thread.start()
    try:
        (job,) = wait_until(
            lambda: [j for j in jobs_of(emulator_env, emulator_bucket) if j["status"] == "RUNNING"],
            "a running job",
        )
        config_dir = write_config(tmp_path, batch_config, db=tmp_path / "redun.db")
        listed = wait_until(
            lambda: job["jobId"] in redun(config_dir, "tag", "list", "--values").stdout,
            "the aws_batch_job tag of the running job",
        )
        assert listed
    finally:
        marker.touch()
        thread.join(timeout=60)
    assert outcome["result"] == 4
