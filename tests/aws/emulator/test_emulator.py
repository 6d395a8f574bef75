"""The local AWS emulator on its own: plain Batch jobs, as any boto3 user submits them."""

from __future__ import annotations

import time
from typing import Any

import pytest

pytestmark = pytest.mark.slow


def _definition(batch: Any) -> str:
    return batch.register_job_definition(
        jobDefinitionName="emulator-test",
        type="container",
        containerProperties={"image": "any", "vcpus": 1, "memory": 128, "command": ["true"]},
    )["jobDefinitionArn"]


def _wait_done(batch: Any, job_id: str) -> dict:
    for _ in range(300):
        job = batch.describe_jobs(jobs=[job_id])["jobs"][0]
        if job["status"] in ("SUCCEEDED", "FAILED"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} never finished")


def _log(emulator: Any, job: dict) -> list[str]:
    events = emulator.client("logs").get_log_events(
        logGroupName="/aws/batch/job", logStreamName=job["container"]["logStreamName"]
    )["events"]
    return [event["message"] for event in events]


def test_env_file_exports_endpoint_region_and_dummy_credentials(aws_emulator: Any) -> None:
    text = (aws_emulator.directory / "aws.env").read_text()
    lines = dict(line.removeprefix("export ").split("=", 1) for line in text.splitlines())
    assert lines["AWS_ENDPOINT_URL"].startswith("http://127.0.0.1:")
    assert lines["AWS_ACCESS_KEY_ID"] == "testing"
    assert {"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_SECRET_ACCESS_KEY"} <= set(lines)


def test_a_job_runs_its_command_and_fails_by_its_exit_code(aws_emulator: Any) -> None:
    batch = aws_emulator.client("batch")
    command = ["sh", "-c", "echo job $AWS_BATCH_JOB_ID; exit 3"]
    job_id = batch.submit_job(
        jobName="plain",
        jobQueue="redun-local",
        jobDefinition=_definition(batch),
        containerOverrides={"command": command},
    )["jobId"]
    job = _wait_done(batch, job_id)
    assert job["status"] == "FAILED"
    assert _log(aws_emulator, job) == [f"job {job_id}"]


def test_array_children_see_their_index(aws_emulator: Any) -> None:
    batch = aws_emulator.client("batch")
    parent = batch.submit_job(
        jobName="array",
        jobQueue="redun-local",
        jobDefinition=_definition(batch),
        arrayProperties={"size": 3},
        containerOverrides={"command": ["sh", "-c", "echo index $AWS_BATCH_JOB_ARRAY_INDEX"]},
    )["jobId"]
    assert _wait_done(batch, parent)["status"] == "SUCCEEDED"
    for index in range(3):
        child = batch.describe_jobs(jobs=[f"{parent}:{index}"])["jobs"][0]
        assert _log(aws_emulator, child) == [f"index {index}"]


def test_terminate_job_kills_it_with_its_reason(aws_emulator: Any) -> None:
    batch = aws_emulator.client("batch")
    job_id = batch.submit_job(
        jobName="long",
        jobQueue="redun-local",
        jobDefinition=_definition(batch),
        containerOverrides={"command": ["sleep", "60"]},
    )["jobId"]
    for _ in range(100):
        if batch.describe_jobs(jobs=[job_id])["jobs"][0]["status"] == "RUNNING":
            break
        time.sleep(0.05)
    batch.terminate_job(jobId=job_id, reason="Host EC2 (instance i-0abc) terminated.")
    job = _wait_done(batch, job_id)
    assert job["status"] == "FAILED"
    assert job["statusReason"] == "Host EC2 (instance i-0abc) terminated."


def test_a_multi_node_job_runs_each_nodes_override(aws_emulator: Any, tmp_path: Any) -> None:
    batch = aws_emulator.client("batch")
    container = {"image": "any", "command": ["false"], "resourceRequirements": []}
    definition = batch.register_job_definition(
        jobDefinitionName="emulator-nodes",
        type="multinode",
        nodeProperties={
            "numNodes": 3,
            "mainNode": 0,
            "nodeRangeProperties": [
                {"targetNodes": "0", "container": container},
                {"targetNodes": "1:", "container": container},
            ],
        },
    )["jobDefinitionArn"]
    mark = f"echo $AWS_BATCH_JOB_NUM_NODES > {tmp_path}/$1-$AWS_BATCH_JOB_NODE_INDEX"
    memory = [{"type": "MEMORY", "value": "256"}]
    job_id = batch.submit_job(
        jobName="nodes",
        jobQueue="redun-local",
        jobDefinition=definition,
        nodeOverrides={
            "nodePropertyOverrides": [
                {
                    "targetNodes": "0",
                    "containerOverrides": {"command": ["sh", "-c", mark, "-", "main"]},
                },
                {
                    "targetNodes": "1:",
                    "containerOverrides": {
                        "command": ["sh", "-c", mark, "-", "worker"],
                        "resourceRequirements": memory,
                    },
                },
            ]
        },
    )["jobId"]
    job = _wait_done(batch, job_id)
    assert job["status"] == "SUCCEEDED"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["main-0", "worker-1", "worker-2"]
    assert (tmp_path / "worker-2").read_text() == "3\n"
    # DescribeJobs shows the overrides applied; DescribeJobDefinitions the node properties.
    ranges = {
        r["targetNodes"]: r["container"] for r in job["nodeProperties"]["nodeRangeProperties"]
    }
    assert ranges["1:"]["command"][-1] == "worker"
    assert ranges["1:"]["resourceRequirements"] == memory
    (described,) = batch.describe_job_definitions(jobDefinitions=[definition])["jobDefinitions"]
    assert described["nodeProperties"]["numNodes"] == 3


def test_a_job_over_its_memory_is_killed_as_batch_kills_it(aws_emulator: Any) -> None:
    import sys

    batch = aws_emulator.client("batch")
    hog = "import time; held = b'x' * (300 * 2**20); time.sleep(30)"
    job_id = batch.submit_job(
        jobName="hog",
        jobQueue="redun-local",
        jobDefinition=_definition(batch),
        containerOverrides={
            "command": [sys.executable, "-c", hog],
            "resourceRequirements": [{"type": "MEMORY", "value": "100"}],
        },
    )["jobId"]
    job = _wait_done(batch, job_id)
    assert job["status"] == "FAILED"
    assert job["statusReason"] == "Essential container in task exited"
    assert job["container"]["reason"] == "OutOfMemoryError: Container killed due to memory usage"
    assert job["attempts"][-1]["container"]["exitCode"] == 137
    assert {"type": "MEMORY", "value": "100"} in job["container"]["resourceRequirements"]


def test_terminating_an_array_parent_stops_every_child(aws_emulator: Any) -> None:
    batch = aws_emulator.client("batch")
    parent = batch.submit_job(
        jobName="array-long",
        jobQueue="redun-local",
        jobDefinition=_definition(batch),
        arrayProperties={"size": 3},
        containerOverrides={"command": ["sleep", "60"]},
    )["jobId"]
    for _ in range(100):
        summary = batch.describe_jobs(jobs=[parent])["jobs"][0]["arrayProperties"]
        if summary["statusSummary"]["RUNNING"] == 3:
            break
        time.sleep(0.05)
    batch.terminate_job(jobId=parent, reason="stop them all")
    for index in range(3):
        child = _wait_done(batch, f"{parent}:{index}")
        assert (child["status"], child["statusReason"]) == ("FAILED", "stop them all")


def test_the_command_serves_on_the_given_port_until_ctrl_c(tmp_path: Any) -> None:
    import signal
    import socket
    import subprocess
    import sys

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env_file = tmp_path / "aws.env"
    emulator = subprocess.Popen(
        [sys.executable, "-m", "redun_aws.emulator", "--port", str(port), "--env-file", env_file],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for _ in range(600):
            if env_file.exists() or emulator.poll() is not None:
                break
            time.sleep(0.1)
        assert f"export AWS_ENDPOINT_URL=http://127.0.0.1:{port}\n" in env_file.read_text()
        emulator.send_signal(signal.SIGINT)
        assert emulator.wait(timeout=30) == 0
    finally:
        if emulator.poll() is None:
            emulator.kill()
            emulator.wait()
    output = emulator.stdout.read() if emulator.stdout else ""
    assert f"redun AWS emulator on http://127.0.0.1:{port} (queue redun-local)" in output
