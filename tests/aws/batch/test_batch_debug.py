"""``debug = true``: the job's exact ``redun oneshot`` command runs on this machine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow


def test_debug_runs_the_job_locally_without_batch(
    batch_scheduler: Any, flow: Any, emulator_env: Any, emulator_bucket: str, tmp_path: Path
) -> None:
    state = tmp_path / "debug-jobs"
    scheduler = batch_scheduler(debug="true", debug_scratch=str(state))
    assert scheduler.run(flow.add(20, 22)) == 42
    # The command ran as a local process (its state is here), reading S3 scratch...
    (meta,) = state.glob("*/meta.json")
    assert f"s3://{emulator_bucket}/redun/jobs/" in meta.read_text()
    # ...and nothing went to AWS Batch.
    batch = emulator_env.client("batch")
    for status in ("SUBMITTED", "RUNNABLE", "RUNNING", "SUCCEEDED", "FAILED"):
        for job in batch.list_jobs(jobQueue="redun-local", jobStatus=status)["jobSummaryList"]:
            described = batch.describe_jobs(jobs=[job["jobId"]])["jobs"][0]
            assert emulator_bucket not in " ".join(described["container"].get("command", []))
