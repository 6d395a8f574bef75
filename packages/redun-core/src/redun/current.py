"""What this thread is running: the current scheduler and, inside a task, its job.

Kept at the bottom of the layers so that values (Handle), expressions (``await``) and
executors can ask for them without importing the scheduler.
"""

from __future__ import annotations

import threading
from contextvars import ContextVar
from typing import TYPE_CHECKING

from redun.errors import NoCurrentScheduler

if TYPE_CHECKING:
    from redun.scheduler.job import Job
    from redun.scheduler.scheduler import Scheduler

_local = threading.local()

# The job a worker thread (or an async task's context) is running.
redun_scheduler_var: ContextVar[Scheduler] = ContextVar("redun_scheduler")
redun_job_var: ContextVar[Job] = ContextVar("redun_job")


def get_current_scheduler(required: bool = True) -> Scheduler | None:
    """The scheduler running in this thread (set for the duration of ``Scheduler.run``)."""
    scheduler = getattr(_local, "scheduler", None)
    if scheduler is None and required:
        raise NoCurrentScheduler()
    return scheduler


def set_current_scheduler(scheduler: Scheduler | None) -> None:
    _local.scheduler = scheduler


def set_current_job(scheduler: Scheduler, job: Job) -> None:
    """Record the scheduler and job the current thread (or task context) runs."""
    redun_scheduler_var.set(scheduler)
    redun_job_var.set(job)


def get_current_job() -> tuple[Scheduler, Job]:
    """The scheduler and job set by :func:`set_current_job` (LookupError outside a job)."""
    return redun_scheduler_var.get(), redun_job_var.get()
