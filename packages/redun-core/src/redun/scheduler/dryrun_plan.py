"""What a dry run learned: jobs that would run, jobs reused, and calls it could not reach.

A dry run reduces everything the cache can serve, down the dynamic graph, and stops at
each job that would have to run. Read after ``Scheduler.run(dryrun=True)`` returns or
raises ``DryRunResult``; the scheduler's state of that run is still in place then.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redun.scheduler.job import Job
    from redun.scheduler.scheduler import Scheduler


@dataclass
class DryRunState:
    """``would_run``: jobs in submission order; ``reused``: cached jobs per task;
    ``waiting``: known calls per task that wait on the results of jobs that would run."""

    would_run: list[Job] = field(default_factory=list)
    reused: Counter = field(default_factory=Counter)
    waiting: Counter = field(default_factory=Counter)


def dryrun_state(scheduler: Scheduler) -> DryRunState:
    would_run = list(scheduler.dryrun_jobs)
    reused: Counter = Counter()
    for task_name, counts in scheduler.report.counts.items():
        if counts["CACHED"]:
            reused[task_name] = counts["CACHED"]
    started = {id(job.expr) for job in would_run}
    started.update(id(job.expr) for job in scheduler.jobs.unique_jobs.values())
    waiting: Counter = Counter()
    for expr, promise in scheduler.evaluator.task_calls():
        if promise.is_pending and id(expr) not in started:
            waiting[expr.task_name] += 1
    return DryRunState(would_run, reused, waiting)
