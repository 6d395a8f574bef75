"""What a job asks AWS Batch for, read back through Batch's own describe calls on the
emulator: resources and settings (task options over the section's keys), multi-node
jobs, and a job killed for using more memory than it asked for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aws.batch.batch_queue import jobs_of, requirements
from redun.errors import RemoteJobError

pytestmark = pytest.mark.slow


def _definition(emulator: Any, job: dict) -> dict:
    batch = emulator.client("batch")
    (definition,) = batch.describe_job_definitions(jobDefinitions=[job["jobDefinition"]])[
        "jobDefinitions"
    ]
    return definition


def test_task_options_and_section_keys_reach_submit_job(
    batch_scheduler: Any, flow: Any, emulator_env: Any, emulator_bucket: str
) -> None:
    # The section sets gpus and memory; add's own options (vcpus=2, memory=0.5) win.
    scheduler = batch_scheduler(gpus="2", memory="8", timeout="600", retries="3")
    assert scheduler.run(flow.add(1, 2)) == 3
    (job,) = jobs_of(emulator_env, emulator_bucket)
    assert requirements(job["container"]) == {"VCPU": "2", "MEMORY": "512", "GPU": "2"}
    assert job["timeout"] == {"attemptDurationSeconds": 600}
    assert job["retryStrategy"] == {"attempts": 3}
    assert job["propagateTags"] is True


def test_every_resource_option_of_a_task(
    batch_scheduler: Any, flow: Any, emulator_env: Any, emulator_bucket: str
) -> None:
    assert batch_scheduler().run(flow.sized(4)) == 40
    (job,) = jobs_of(emulator_env, emulator_bucket)
    assert requirements(job["container"]) == {"VCPU": "3", "MEMORY": "768", "GPU": "1"}
    assert job["retryStrategy"] == {"attempts": 2}
    assert job["shareIdentifier"] == "redun"
    assert job["schedulingPriority"] == 7
    # Shared memory belongs to the job definition (in MiB), as upstream registers it.
    definition = _definition(emulator_env, job)
    assert definition["jobDefinitionName"] == "redun-test-image-redun-jd"
    assert definition["containerProperties"]["linuxParameters"] == {"sharedMemorySize": 256}


def test_multi_node_job_runs_on_every_node_and_returns_the_main_nodes_result(
    batch_scheduler: Any, flow: Any, emulator_env: Any, emulator_bucket: str, tmp_path: Path
) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    assert batch_scheduler().run(flow.on_nodes(str(marks))) == 3
    assert sorted(p.name for p in marks.iterdir()) == ["node-0", "node-1", "node-2"]
    assert (marks / "node-2").read_text() == "127.0.0.1"  # the main node's address

    (job,) = jobs_of(emulator_env, emulator_bucket)
    assert job["status"] == "SUCCEEDED"
    nodes = job["nodeProperties"]
    assert (nodes["numNodes"], nodes["mainNode"]) == (3, 0)
    ranges = {r["targetNodes"]: r["container"] for r in nodes["nodeRangeProperties"]}
    assert set(ranges) == {"0", "1:"}
    for container in ranges.values():
        assert requirements(container) == {"VCPU": "2", "MEMORY": "512"}
    # Only the main node writes the job's output; the workers run the same task.
    main, worker = ranges["0"]["command"], ranges["1:"]["command"]
    assert main[main.index("--output") + 1].endswith("/output")
    assert worker[worker.index("--output") + 1] == "/dev/null"
    assert main[main.index("--input") + 1] == worker[worker.index("--input") + 1]

    definition = _definition(emulator_env, job)
    assert definition["type"] == "multinode"
    assert definition["nodeProperties"]["numNodes"] == 3


def test_job_killed_for_memory_is_a_one_line_error_and_a_rerun_with_more_succeeds(
    batch_scheduler: Any, flow: Any, emulator_env: Any, emulator_bucket: str
) -> None:
    with pytest.raises(RemoteJobError) as info:
        batch_scheduler().run(flow.hog(400))
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("AWS Batch job ")
    assert message.endswith(
        "(task batch_flow.hog) failed: OutOfMemoryError: Container killed due to memory "
        "usage (memory = 0.25 GB: raise the task's memory option)"
    )
    (job,) = jobs_of(emulator_env, emulator_bucket)
    assert job["status"] == "FAILED"
    assert job["attempts"][-1]["container"]["exitCode"] == 137

    # The record stays usable: the same call with more memory runs and is recorded.
    scheduler = batch_scheduler()
    assert scheduler.run(flow.hog.options(memory=1)(400)) == 400
    assert scheduler.run(flow.hog.options(memory=1)(400)) == 400  # now a cache hit
    assert len(jobs_of(emulator_env, emulator_bucket)) == 2
