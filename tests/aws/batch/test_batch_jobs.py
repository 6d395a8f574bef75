"""AWS Batch end to end on the local emulator: real ``redun oneshot`` jobs, S3 scratch."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from aws.batch.batch_queue import jobs_of
from aws.batch.redun_cli import redun, write_config
from redun.errors import RemoteJobTimeoutError

pytestmark = pytest.mark.slow


def test_single_job_runs_with_its_resources_and_tags(
    batch_scheduler: Any, flow: Any, emulator_env: Any, emulator_bucket: str
) -> None:
    scheduler = batch_scheduler()
    assert scheduler.run(flow.add(2, 3)) == 5
    (job,) = jobs_of(emulator_env, emulator_bucket)
    assert job["status"] == "SUCCEEDED"
    assert job["jobName"].startswith("redun-job-")
    assert job["tags"]["redun_task_name"] == "batch_flow.add"
    assert "redun_execution_id" in job["tags"]
    command = job["container"]["command"]
    assert command[:4] == ["redun", "--check-version", command[2], "oneshot"]
    eval_hash = job["jobName"].removeprefix("redun-job-")
    s3 = emulator_env.client("s3")
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=emulator_bucket)["Contents"]}
    assert {f"redun/jobs/{eval_hash}/input", f"redun/jobs/{eval_hash}/output"} <= keys
    assert any(k.startswith("redun/code/") and k.endswith(".tar.gz") for k in keys)


def test_rerun_is_a_cache_hit_and_submits_nothing(
    batch_scheduler: Any, flow: Any, emulator_env: Any, emulator_bucket: str
) -> None:
    assert batch_scheduler().run(flow.add(4, 5)) == 9
    assert batch_scheduler().run(flow.add(4, 5)) == 9
    assert len(jobs_of(emulator_env, emulator_bucket)) == 1


def test_code_is_packaged_once_per_content(
    batch_scheduler: Any, flow: Any, workdir: Any, emulator_env: Any, emulator_bucket: str
) -> None:
    def packages() -> set[str]:
        listed = emulator_env.client("s3").list_objects_v2(
            Bucket=emulator_bucket, Prefix="redun/code/"
        )
        return {entry["Key"] for entry in listed.get("Contents", [])}

    assert batch_scheduler().run(flow.add(1, 1)) == 2
    first = packages()
    assert batch_scheduler().run(flow.add(2, 2)) == 4  # a new run, the same code
    assert packages() == first and len(first) == 1
    (workdir / "helper.py").write_text("VALUE = 1\n")
    assert batch_scheduler().run(flow.add(3, 3)) == 6  # new code: a new package
    assert len(packages()) == 2


def test_many_ready_calls_of_one_task_leave_as_one_array_job(
    batch_scheduler: Any, flow: Any, emulator_env: Any, emulator_bucket: str
) -> None:
    assert batch_scheduler().run(flow.fan_out(7)) == [i + 1 for i in range(7)]
    (job,) = jobs_of(emulator_env, emulator_bucket)
    assert job["jobName"].endswith("-array")
    assert job["arrayProperties"]["size"] == 7


def test_max_array_size_splits_a_wave_and_min_array_size_keeps_stragglers_single(
    batch_scheduler: Any, flow: Any, emulator_env: Any, emulator_bucket: str
) -> None:
    scheduler = batch_scheduler(min_array_size="3", max_array_size="4")
    assert scheduler.run(flow.fan_out(9)) == [i + 1 for i in range(9)]
    sizes = [
        j.get("arrayProperties", {}).get("size", 0) for j in jobs_of(emulator_env, emulator_bucket)
    ]
    # 9 = 4 + 4 + 1: two full arrays, and one job (fewer than 3) submitted alone.
    assert sorted(sizes) == [0, 4, 4]


def test_script_task_runs_in_the_job(batch_scheduler: Any, flow: Any) -> None:
    assert batch_scheduler().run(flow.shout("hello")) == b"HELLO\n"


def test_failing_task_raises_its_own_error_with_the_log_tail(
    batch_scheduler: Any, flow: Any
) -> None:
    with pytest.raises(ValueError, match="bad input 3") as info:
        batch_scheduler().run(flow.boom(3))
    trace = "".join(info.value.__redun_traceback__.format())
    assert "about to fail on 3" in trace  # from the job's CloudWatch log
    assert "AWS Batch status reason: Essential container in task exited" in trace


def test_timeout_is_its_own_error(batch_scheduler: Any, flow: Any) -> None:
    with pytest.raises(RemoteJobTimeoutError, match="timed out: Job attempt duration exceeded"):
        batch_scheduler().run(flow.nap(30))


def _when_running(emulator: Any, bucket: str, action: Any) -> threading.Thread:
    def watch() -> None:
        for _ in range(600):
            running = [j for j in jobs_of(emulator, bucket) if j["status"] == "RUNNING"]
            if running:
                action(running[0]["jobId"])
                return
            time.sleep(0.1)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


def test_spot_preemption_resubmits_without_failing_the_run(
    batch_scheduler: Any,
    flow: Any,
    emulator_env: Any,
    emulator_bucket: str,
    batch_config: dict,
    tmp_path: Any,
) -> None:
    marker = tmp_path / "go"
    batch = emulator_env.client("batch")

    def reclaim(job_id: str) -> None:
        batch.terminate_job(jobId=job_id, reason="Host EC2 (instance i-0123) terminated.")
        marker.touch()

    watcher = _when_running(emulator_env, emulator_bucket, reclaim)
    assert batch_scheduler().run(flow.wait_for(str(marker), 11)) == 11
    watcher.join()
    jobs = jobs_of(emulator_env, emulator_bucket)
    assert sorted(j["status"] for j in jobs) == ["FAILED", "SUCCEEDED"]
    # The redun job's record names both Batch jobs that ran it.
    tags = redun(write_config(tmp_path, batch_config, db=tmp_path / "redun.db"), "tag", "list")
    assert "aws_batch_job (2 Job)" in tags.stdout, tags.stdout + tags.stderr
