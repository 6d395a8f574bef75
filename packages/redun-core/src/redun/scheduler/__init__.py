"""The scheduler: evaluation, caching, jobs and executions (upstream ``redun.scheduler``)."""

from __future__ import annotations

from redun.config import Config
from redun.current import get_current_scheduler, set_current_scheduler
from redun.errors import NoCurrentScheduler, SchedulerError
from redun.handle import merge_handles
from redun.promise import Promise
from redun.scheduler.config import get_backend_from_config, setup_scheduler
from redun.scheduler.control import apply_tags, catch, catch_all, cond, get_context, throw
from redun.scheduler.errors import DryRunResult, ErrorValue, Frame, Traceback
from redun.scheduler.job import Execution, Job, JobEnv
from redun.scheduler.job_info import JobInfo
from redun.scheduler.root import root_task
from redun.scheduler.scheduler import Scheduler
from redun.scheduler.subrun import subrun
from redun.scheduler.threads import Thread, fork_thread, join_thread
from redun.task import Task, scheduler_task
from redun.task.options import CacheCheckValid, CacheResult, CacheScope


def run(
    expr,
    config_dir=None,
    exec_argv=None,
    dryrun=False,
    cache=True,
    tags=(),
    context=None,
    execution_id=None,
):
    """Run ``expr`` with a scheduler configured from ``config_dir`` (cached per directory)."""
    from redun.scheduler.run import run_with_config

    return run_with_config(
        expr,
        config_dir=config_dir,
        exec_argv=exec_argv,
        dryrun=dryrun,
        cache=cache,
        tags=tags,
        context=context,
        execution_id=execution_id,
    )


__all__ = [
    "CacheCheckValid",
    "CacheResult",
    "CacheScope",
    "Config",
    "JobEnv",
    "Task",
    "apply_tags",
    "catch",
    "catch_all",
    "cond",
    "get_context",
    "throw",
    "DryRunResult",
    "ErrorValue",
    "Execution",
    "Frame",
    "Job",
    "JobInfo",
    "NoCurrentScheduler",
    "Promise",
    "Scheduler",
    "SchedulerError",
    "Thread",
    "Traceback",
    "fork_thread",
    "join_thread",
    "subrun",
    "get_backend_from_config",
    "merge_handles",
    "get_current_scheduler",
    "root_task",
    "run",
    "scheduler_task",
    "set_current_scheduler",
    "setup_scheduler",
]
