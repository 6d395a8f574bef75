"""Reading the emulator's queue the way a user's boto3 would: the tests check what redun
asked AWS Batch for through Batch's own describe calls."""

from __future__ import annotations

import time
from typing import Any

STATUSES = ("SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED", "FAILED")


def batch_jobs(emulator: Any) -> list[dict]:
    """Every job of the queue ``redun-local`` (array children excluded), described."""
    batch = emulator.client("batch")
    ids = []
    for status in STATUSES:
        listed = batch.list_jobs(jobQueue="redun-local", jobStatus=status)["jobSummaryList"]
        ids += [job["jobId"] for job in listed if ":" not in job["jobId"]]
    jobs = []
    for start in range(0, len(ids), 100):
        jobs += batch.describe_jobs(jobs=ids[start : start + 100])["jobs"]
    return jobs


def command_of(job: dict) -> list[str]:
    """A job's command; a multi-node job's is its main node's."""
    if "nodeProperties" in job:
        for node_range in job["nodeProperties"]["nodeRangeProperties"]:
            if node_range["targetNodes"] == "0":
                return node_range["container"]["command"]
    return job.get("container", {}).get("command", [])


def jobs_of(emulator: Any, scratch_bucket: str) -> list[dict]:
    """One test's jobs: those whose command reads scratch in ``scratch_bucket``."""
    return [job for job in batch_jobs(emulator) if scratch_bucket in " ".join(command_of(job))]


def running_count(job: dict) -> int:
    """Running jobs: the job itself, or its array's running children."""
    if "arrayProperties" in job:
        return job["arrayProperties"]["statusSummary"].get("RUNNING", 0)
    return int(job["status"] == "RUNNING")


def wait_until(predicate: Any, what: str, timeout: float = 90) -> Any:
    """``predicate()``'s first true value, polled; an AssertionError naming ``what``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def requirements(container: dict) -> dict[str, str]:
    """``resourceRequirements`` as ``{"VCPU": "2", "MEMORY": "512", ...}``."""
    return {req["type"]: req["value"] for req in container.get("resourceRequirements", [])}
