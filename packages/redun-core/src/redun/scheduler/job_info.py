"""JobInfo: a task parameter filled with the running job's identity, never hashed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from redun.scheduler.job import Job


class JobInfo:
    """Default a parameter to ``JobInfo()`` to receive execution/job ids at run time."""

    def __init__(
        self,
        execution_id: str | None = None,
        job_id: str | None = None,
        eval_hash: str | None = None,
        args_hash: str | None = None,
        options: dict | None = None,
    ) -> None:
        self.execution_id = execution_id
        self.job_id = job_id
        self.eval_hash = eval_hash
        self.args_hash = args_hash
        self.options = options or {}

    def __repr__(self) -> str:
        return f"JobInfo(execution_id={self.execution_id}, job_id={self.job_id})"


JobInfo.__module__ = "redun.scheduler"


def fill_job_info(job: Job, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Replace JobInfo placeholders with the job's identity (after hashing: never hashed)."""
    return {
        key: JobInfo(job.execution_id, job.id, job.eval_hash, job.args_hash, dict(job.options))
        if isinstance(value, JobInfo)
        else value
        for key, value in kwargs.items()
    }
