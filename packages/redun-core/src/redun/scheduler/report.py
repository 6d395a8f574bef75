"""What users see of a run: job call formatting and the per-task status table."""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from redun.expression import format_arguments

if TYPE_CHECKING:
    from redun.scheduler.job import Job

_MAX_ARGS = 200


def format_job_call(job: Job) -> str:
    args = job.args if job.args or job.kwargs else job.expr.args
    kwargs = job.kwargs if job.args or job.kwargs else job.expr.kwargs
    text = format_arguments(args, kwargs)
    if len(text) > _MAX_ARGS:
        text = text[:_MAX_ARGS] + "..."
    return f"{job.task_name}({text})"


STATUSES = ("PENDING", "RUNNING", "FAILED", "CACHED", "DONE")


class StatusReport:
    """Per-task counts of job states, printed at the end of a run."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter] = defaultdict(Counter)
        self._state: dict[str, str] = {}

    def _move(self, job: Job, status: str) -> None:
        counts = self.counts[job.task_name]
        previous = self._state.get(job.id)
        if previous == status:
            return
        if previous is not None:
            counts[previous] -= 1
        counts[status] += 1
        self._state[job.id] = status

    def add(self, job: Job) -> None:
        self._move(job, "PENDING")

    def running(self, job: Job) -> None:
        self._move(job, "RUNNING")

    def cached(self, job: Job) -> None:
        self._move(job, "CACHED")

    def dryrun(self, job: Job) -> None:
        self._move(job, "PENDING")

    def finished(self, job: Job) -> None:
        self._move(job, "CACHED" if job.was_cached else "DONE")

    def failed(self, job: Job) -> None:
        self._move(job, "FAILED")

    def rows(self) -> list[tuple[str, list[int]]]:
        total: Counter = Counter()
        rows = []
        for name in sorted(self.counts):
            counts = self.counts[name]
            total.update(counts)
            rows.append((name, [counts[s] for s in STATUSES] + [sum(counts.values())]))
        return [("ALL", [total[s] for s in STATUSES] + [sum(total.values())]), *rows]

    def log(self, logger: logging.Logger) -> None:
        if not self.counts:
            return
        rows = self.rows()
        width = max(len(name) for name, _ in rows) + 2
        header = "TASK".ljust(width) + "".join(s.rjust(8) for s in (*STATUSES, "TOTAL"))
        logger.info("")
        logger.info("| JOB STATUS")
        logger.info(f"| {header}")
        for name, values in rows:
            logger.info("| " + name.ljust(width) + "".join(str(v).rjust(8) for v in values))
        logger.info("")
