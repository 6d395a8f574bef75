"""One redun job while it is in a remote service's hands."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from redun.executors.remote.scratch import JobPaths

if TYPE_CHECKING:
    from redun.scheduler import Job


@dataclass(eq=False)
class RemoteJob:
    """A submitted (or about to be submitted) job and what the lifecycle knows of it.

    ``script`` jobs run their task's script instead of its body. ``array_id`` is the
    remote id of the array a child belongs to. ``preemptions`` counts resubmissions
    after the service lost the job's host; ``reattached`` marks a job found still
    running from an earlier scheduler.
    """

    job: Job
    eval_hash: str
    paths: JobPaths
    script: bool = False
    remote_id: str | None = None
    array_id: str | None = None
    preemptions: int = 0
    reattached: bool = False
    queued_at: float = field(default_factory=time.monotonic)
    state: str = "PENDING"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def task_name(self) -> str:
        return self.job.task.fullname
