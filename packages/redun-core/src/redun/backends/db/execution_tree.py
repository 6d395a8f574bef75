"""Reads behind `redun log EXEC` that stay fast on executions of 100,000 jobs.

Building every job of a big execution as a full record before printing anything kept
the first line of `redun log -` seconds away. Here the status table comes from one
aggregate query, and the job tree from a light (id, parent) listing whose rows are
filled in chunk by chunk as they are printed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from redun.backends.db.queries import ERROR_VALUE_TYPE, IN_CHUNK, JobInfo, get_jobs
from redun.backends.db.tables import CallNode, Job, Task, Value

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


@dataclass
class ExecutionSummary:
    """Job counts of one execution by task full name and derived status."""

    counts: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    first_start: datetime | None = None
    last_end: datetime | None = None

    @property
    def statuses(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for by_status in self.counts.values():
            total.update(by_status)
        return total


def execution_summary(conn: Connection, execution_id: str) -> ExecutionSummary:
    """Counts per (task, status), aggregated by the database.

    Joining every job to its result value to spot failures cost seconds on 100,000 jobs;
    failed call nodes are few and indexed by their value's type, so they are counted
    apart and moved from the DONE/CACHED buckets to FAILED.
    """
    from sqlalchemy import func, select

    job, task, node, value = Job.__table__, Task.__table__, CallNode.__table__, Value.__table__
    running = job.c.end_time.is_(None)
    keys = (job.c.task_hash, job.c.cached, running)
    mine = job.c.execution_id == execution_id
    totals = select(
        *keys, func.count(), func.min(job.c.start_time), func.max(job.c.end_time)
    ).where(mine)
    failed_calls = (
        select(node.c.call_hash)
        .join(value, value.c.value_hash == node.c.value_hash)
        .where(value.c.type == ERROR_VALUE_TYPE)
    )
    failures = select(*keys, func.count()).where(mine, job.c.call_hash.in_(failed_calls))
    failed = {
        (task_hash, bool(cached), bool(is_running)): count
        for task_hash, cached, is_running, count in conn.execute(failures.group_by(*keys))
    }
    rows = list(conn.execute(totals.group_by(*keys)))
    names = {
        task_hash: f"{namespace}.{name}" if namespace else name
        for task_hash, namespace, name in conn.execute(
            select(task.c.hash, task.c.namespace, task.c.name).where(
                task.c.hash.in_(sorted({row[0] for row in rows}))
            )
        )
    }
    summary = ExecutionSummary()
    for task_hash, cached, is_running, count, start, end in rows:
        by_status = summary.counts[names.get(task_hash) or task_hash[:8]]
        errors = failed.get((task_hash, bool(cached), bool(is_running)), 0)
        by_status["FAILED"] += errors
        if count > errors:
            status = "RUNNING" if is_running else ("CACHED" if cached else "DONE")
            by_status[status] += count - errors
        if start is not None and (summary.first_start is None or start < summary.first_start):
            summary.first_start = start
        if end is not None and (summary.last_end is None or end > summary.last_end):
            summary.last_end = end
    return summary


def tree_order(conn: Connection, execution_id: str, root_id: str) -> list[tuple[str, int]]:
    """Every job reachable from the root as (job id, depth), depth first, children oldest
    first: the order `redun log` prints them, from two narrow columns only."""
    from sqlalchemy import select

    job = Job.__table__
    children: dict[str | None, list[str]] = defaultdict(list)
    query = (
        select(job.c.id, job.c.parent_id)
        .where(job.c.execution_id == execution_id)
        .order_by(job.c.start_time)
    )
    for job_id, parent_id in conn.execute(query):
        children[parent_id].append(job_id)
    order: list[tuple[str, int]] = []
    stack = [(root_id, 0)]
    while stack:
        job_id, depth = stack.pop()
        order.append((job_id, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(job_id, ())))
    return order


def tree_chunks(
    conn: Connection, order: list[tuple[str, int]], size: int = IN_CHUNK
) -> Iterator[list[tuple[JobInfo, int]]]:
    """The jobs of ``order`` as full records, a chunk at a time, in the same order."""
    for start in range(0, len(order), size):
        part = order[start : start + size]
        infos = get_jobs(conn, [job_id for job_id, _ in part])
        yield [(infos[job_id], depth) for job_id, depth in part if job_id in infos]
