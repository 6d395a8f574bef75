"""A Batch job's CloudWatch log lines (for failure messages and ``redun aws logs``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from typing import Any

LOG_GROUP = "/aws/batch/job"


def log_stream(batch: Any, job: Mapping[str, Any] | None) -> str | None:
    """The job's log stream; a multi-node job's is its main node's (``JOB#NODE``)."""
    if job and "nodeProperties" in job:
        main = job["nodeProperties"].get("mainNode", 0)
        nodes = batch.describe_jobs(jobs=[f"{job['jobId']}#{main}"]).get("jobs", [])
        job = nodes[0] if nodes else job
    if not job:
        return None
    stream = job.get("container", {}).get("logStreamName")
    return str(stream) if stream else None


def iter_log_events(
    logs: Any, stream: str, limit: int | None = None, reverse: bool = False
) -> Iterator[Mapping[str, Any]]:
    """Events of one stream, oldest first (newest first with ``reverse``)."""
    args: dict[str, Any] = {"logGroupName": LOG_GROUP, "logStreamName": stream}
    args["startFromHead"] = not reverse
    if limit:
        args["limit"] = limit
    seen = 0
    token = None
    while True:
        if token:
            args["nextToken"] = token
        response = logs.get_log_events(**args)
        events = response.get("events", [])
        for event in reversed(events) if reverse else events:
            yield event
            seen += 1
            if limit and seen >= limit:
                return
        next_token = response.get("nextBackwardToken" if reverse else "nextForwardToken")
        if not events or next_token == token:
            return
        token = next_token


def format_event(event: Mapping[str, Any]) -> str:
    stamp = datetime.datetime.fromtimestamp(event["timestamp"] / 1000)
    return f"{stamp}  {event['message']}"


def job_log_lines(service: Any, job_id: str, limit: int = 20) -> list[str]:
    """The last ``limit`` lines of a job's log, oldest first ([] when it has none)."""
    batch = service.client("batch")
    jobs = batch.describe_jobs(jobs=[job_id]).get("jobs", [])
    stream = log_stream(batch, jobs[0] if jobs else None)
    if not stream:
        return []
    try:
        events = list(iter_log_events(service.client("logs"), stream, limit, reverse=True))
    except Exception as error:
        code = getattr(error, "response", {}).get("Error", {}).get("Code")
        if code == "ResourceNotFoundException":
            return []
        raise
    return [format_event(event) for event in reversed(events)]
