"""`redun why` for recorded jobs: one job, or every job of an execution that ran."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from redun.backends.db.call_facts import Inspect, inspect_nothing
from redun.backends.db.why import Reason

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from redun.backends.db.queries import JobInfo


@dataclass
class JobExplanation:
    """Why one job ran (``reasons``), or that it was reused (``reused_from``)."""

    job: JobInfo
    args: str
    reasons: list[Reason] = field(default_factory=list)
    compared_with: str | None = None
    reused_from: str | None = None


def _original_job(conn: Connection, call_hash: str) -> str | None:
    from sqlalchemy import select

    from redun.backends.db.tables import Job

    job = Job.__table__
    row = conn.execute(
        select(job.c.id)
        .where(job.c.call_hash == call_hash, job.c.cached.is_(False))
        .order_by(job.c.start_time)
        .limit(1)
    ).first()
    return row[0] if row else None


def _execution_task_hashes(conn: Connection, execution_id: str) -> dict[str, str]:
    """The code hash each task had in an execution (what "current" meant for its jobs)."""
    from sqlalchemy import select

    from redun.backends.db.tables import Job, Task

    job, task = Job.__table__, Task.__table__
    rows = conn.execute(
        select(task.c.namespace, task.c.name, task.c.hash)
        .join(job, job.c.task_hash == task.c.hash)
        .where(job.c.execution_id == execution_id)
        .distinct()
    )
    return {(f"{ns}.{name}" if ns else name): task_hash for ns, name, task_hash in rows}


def explain_job(
    conn: Connection, job: JobInfo, args: str = "", inspect: Inspect = inspect_nothing
) -> JobExplanation:
    from redun.backends.db.call_facts import recorded_call
    from redun.backends.db.why import explain_call

    if job.cached:
        original = _original_job(conn, job.call_hash) if job.call_hash else None
        return JobExplanation(job, args, reused_from=original or "")
    if job.call_hash is None:
        reason = Reason(
            "unfinished", "the job has not finished (or was killed): its call is unknown"
        )
        return JobExplanation(job, args, [reason])
    facts = recorded_call(conn, job.call_hash, inspect)
    hashes = _execution_task_hashes(conn, job.execution_id)
    reasons, compared = explain_call(
        conn, facts, before=job.start_time, current_hash=hashes.get, inspect=inspect
    )
    return JobExplanation(job, args, reasons, compared)


def explain_execution(
    conn: Connection, execution_id: str, inspect: Inspect = inspect_nothing
) -> tuple[list[JobExplanation], int]:
    """Explanations of every job of the execution that ran, and how many were reused."""
    from redun.backends.db.queries import execution_jobs

    jobs = execution_jobs(conn, execution_id)
    ran = [j for j in jobs if not j.cached]
    return [explain_job(conn, j, inspect=inspect) for j in ran], len(jobs) - len(ran)


def as_records(explanation: JobExplanation) -> list[dict[str, Any]]:
    """One JSON record per reason (one for a reused job)."""
    job = explanation.job
    base = {"job_id": job.id, "execution_id": job.execution_id, "task_name": job.task_name}
    if explanation.reused_from is not None:
        return [{**base, "kind": "reused", "original_job_id": explanation.reused_from or None}]
    return [
        {**base, "compared_call_hash": explanation.compared_with, **reason.as_dict()}
        for reason in explanation.reasons
    ]
