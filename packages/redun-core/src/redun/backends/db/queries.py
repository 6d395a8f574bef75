"""Read-side queries behind `redun log`: executions, job trees, id lookup, details.

Statuses are derived, never stored: a job is FAILED when its call node's result is a
``redun.ErrorValue``, RUNNING while it has no end time, CACHED when it was a cache hit,
else DONE; an execution has the status of its root job (never CACHED: it shows DONE).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from redun.backends.db.tables import (
    Argument,
    CallEdge,
    CallNode,
    Execution,
    File,
    Job,
    Subvalue,
    Tag,
    Task,
    Value,
)
from redun.errors import UsageError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

ERROR_VALUE_TYPE = "redun.ErrorValue"
KINDS = ("Execution", "Job", "CallNode", "Task", "Value")
IN_CHUNK = 500


class UnknownIdError(UsageError):
    """No record has the id (or id prefix) the user gave."""


class AmbiguousIdError(UsageError):
    """An id prefix matches more than one record."""


class JobInfo(NamedTuple):
    id: str
    execution_id: str
    parent_id: str | None
    task_hash: str
    task_name: str
    start_time: datetime
    end_time: datetime | None
    cached: bool
    call_hash: str | None
    status: str


class ExecutionInfo(NamedTuple):
    id: str
    args: str
    job: JobInfo
    tags: list[tuple[str, Any]]

    @property
    def status(self) -> str:
        return "DONE" if self.job.status == "CACHED" else self.job.status


def job_status(end_time: datetime | None, cached: bool, value_type: str | None) -> str:
    """Derived status of a job, as upstream computes it."""
    if value_type == ERROR_VALUE_TYPE:
        return "FAILED"
    if end_time is None:
        return "RUNNING"
    return "CACHED" if cached else "DONE"


def _tables() -> tuple[Any, ...]:
    return (Job.__table__, Task.__table__, CallNode.__table__, Value.__table__)


def _jobs_query() -> Any:
    from sqlalchemy import select

    job, task, node, value = _tables()
    return (
        select(
            job.c.id,
            job.c.execution_id,
            job.c.parent_id,
            job.c.task_hash,
            task.c.namespace,
            task.c.name,
            job.c.start_time,
            job.c.end_time,
            job.c.cached,
            job.c.call_hash,
            value.c.type,
        )
        .select_from(job)
        .outerjoin(task, task.c.hash == job.c.task_hash)
        .outerjoin(node, node.c.call_hash == job.c.call_hash)
        .outerjoin(value, value.c.value_hash == node.c.value_hash)
    )


def _job_info(row: Any) -> JobInfo:
    (id_, exec_id, parent, task_hash, namespace, name, start, end, cached, call, vtype) = row
    fullname = f"{namespace}.{name}" if namespace else (name or task_hash[:8])
    status = job_status(end, bool(cached), vtype)
    return JobInfo(
        id_, exec_id, parent, task_hash, fullname, start, end, bool(cached), call, status
    )


def get_jobs(conn: Connection, job_ids: Sequence[str]) -> dict[str, JobInfo]:
    job = Job.__table__
    found: dict[str, JobInfo] = {}
    for start in range(0, len(job_ids), IN_CHUNK):
        part = job_ids[start : start + IN_CHUNK]
        for row in conn.execute(_jobs_query().where(job.c.id.in_(part))):
            info = _job_info(row)
            found[info.id] = info
    return found


def execution_jobs(conn: Connection, execution_id: str) -> list[JobInfo]:
    """Every job of an execution, oldest first."""
    job = Job.__table__
    query = _jobs_query().where(job.c.execution_id == execution_id).order_by(job.c.start_time)
    return [_job_info(row) for row in conn.execute(query)]


def list_jobs(
    conn: Connection,
    statuses: Iterable[str] = (),
    task_name: str | None = None,
    where: Sequence[Any] = (),
) -> list[JobInfo]:
    """Jobs newest first, filtered by derived status, task full name and ``where``."""
    job = Job.__table__
    query = _jobs_query().where(*where).order_by(job.c.start_time.desc())
    jobs = [_job_info(row) for row in conn.execute(query)]
    wanted = set(statuses)
    return [
        j
        for j in jobs
        if (not wanted or j.status in wanted) and (not task_name or j.task_name == task_name)
    ]


def get_tags(conn: Connection, entity_ids: Sequence[str]) -> dict[str, list[tuple[str, Any]]]:
    """Current tags of each entity, sorted by key then value."""
    from sqlalchemy import select

    tag = Tag.__table__
    found: dict[str, list[tuple[str, Any]]] = {}
    for start in range(0, len(entity_ids), IN_CHUNK):
        part = entity_ids[start : start + IN_CHUNK]
        query = select(tag.c.entity_id, tag.c.key, tag.c.value).where(
            tag.c.entity_id.in_(part), tag.c.is_current.is_(True)
        )
        for entity_id, key, value in conn.execute(query):
            found.setdefault(entity_id, []).append((key, value))
    for tags in found.values():
        tags.sort(key=lambda kv: (kv[0], repr(kv[1])))
    return found


def list_executions(
    conn: Connection,
    statuses: Iterable[str] = (),
    task_name: str | None = None,
    limit: int | None = None,
    where: Sequence[Any] = (),
) -> list[ExecutionInfo]:
    """Executions newest first (by root job start), with their status and tags."""
    from sqlalchemy import select

    execution, job = Execution.__table__, Job.__table__
    query = (
        select(execution.c.id, execution.c.args, execution.c.job_id)
        .join(job, job.c.id == execution.c.job_id)
        .where(*where)
        .order_by(job.c.start_time.desc())
    )
    wanted = set(statuses)
    if limit is not None and not wanted and not task_name:
        query = query.limit(limit)
    rows = list(conn.execute(query))
    jobs = get_jobs(conn, [row[2] for row in rows])
    tags = get_tags(conn, [row[0] for row in rows])
    result = []
    for exec_id, args, job_id in rows:
        info = ExecutionInfo(exec_id, args, jobs[job_id], tags.get(exec_id, []))
        if wanted and info.status not in wanted:
            continue
        if task_name and info.job.task_name != task_name:
            continue
        result.append(info)
    return result[:limit] if limit is not None else result


def get_execution(conn: Connection, execution_id: str) -> ExecutionInfo:
    from sqlalchemy import select

    execution = Execution.__table__
    row = conn.execute(
        select(execution.c.id, execution.c.args, execution.c.job_id).where(
            execution.c.id == execution_id
        )
    ).first()
    if row is None:
        raise UnknownIdError(f"no execution {execution_id} in the repository")
    job = get_jobs(conn, [row[2]])[row[2]]
    return ExecutionInfo(row[0], row[1], job, get_tags(conn, [row[0]]).get(row[0], []))


def nth_execution(conn: Connection, spec: str) -> str:
    """Execution id for ``-`` (latest) or ``~N`` (Nth latest, ``~1`` is the latest)."""
    index = 1 if spec == "-" else int(spec[1:])
    if index < 1:
        raise UsageError(f"execution index '{spec}' must be ~1 or more")
    recent = list_executions(conn, limit=index)
    if len(recent) < index:
        raise UnknownIdError(
            f"execution '{spec}' does not exist: the repository has {len(recent)} execution(s)"
        )
    return recent[index - 1].id


def resolve_id(conn: Connection, text: str) -> tuple[str, str]:
    """Resolve ``-``, ``~N`` or an id prefix to ``(kind, full id)``.

    A task's companion value (same hash) counts as the task, not as a second match.
    """
    from sqlalchemy import select

    if text == "-" or re.fullmatch(r"~\d+", text):
        return "Execution", nth_execution(conn, text)
    columns = {
        "Execution": Execution.__table__.c.id,
        "Job": Job.__table__.c.id,
        "CallNode": CallNode.__table__.c.call_hash,
        "Task": Task.__table__.c.hash,
        "Value": Value.__table__.c.value_hash,
    }
    pattern = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    matches: list[tuple[str, str]] = []
    for kind, column in columns.items():
        query = select(column).where(column.like(pattern, escape="\\")).limit(10)
        matches.extend((kind, row[0]) for row in conn.execute(query))
    task_ids = {id_ for kind, id_ in matches if kind == "Task"}
    matches = [(k, i) for k, i in matches if not (k == "Value" and i in task_ids)]
    if not matches:
        raise UnknownIdError(f"no execution, job, call node, task or value has id '{text}'")
    exact = [m for m in matches if m[1] == text]
    if len(exact) == 1:
        return exact[0]
    if len(matches) > 1:
        counts: dict[str, int] = {}
        for kind, _ in matches:
            counts[kind] = counts.get(kind, 0) + 1
        listed = ", ".join(f"{n} {kind}" for kind, n in counts.items())
        raise AmbiguousIdError(
            f"id prefix '{text}' is ambiguous (matches {listed}); use a longer prefix"
        )
    return matches[0]


class CallNodeInfo(NamedTuple):
    call_hash: str
    task_name: str
    task_hash: str
    args_hash: str
    value_hash: str
    timestamp: datetime
    # (position, key, value_hash), positional arguments first.
    arguments: list[tuple[int | None, str | None, str]]
    children: list[str]
    parents: list[str]


def get_arguments(
    conn: Connection, call_hashes: Sequence[str]
) -> dict[str, list[tuple[int | None, str | None, str]]]:
    from sqlalchemy import select

    arg = Argument.__table__
    found: dict[str, list[tuple[int | None, str | None, str]]] = {}
    for start in range(0, len(call_hashes), IN_CHUNK):
        part = call_hashes[start : start + IN_CHUNK]
        query = select(arg.c.call_hash, arg.c.arg_position, arg.c.arg_key, arg.c.value_hash)
        for call_hash, pos, key, value_hash in conn.execute(query.where(arg.c.call_hash.in_(part))):
            found.setdefault(call_hash, []).append((pos, key, value_hash))
    for args in found.values():
        args.sort(key=lambda a: (a[0] is None, a[0] if a[0] is not None else 0, a[1] or ""))
    return found


def get_call_node(conn: Connection, call_hash: str) -> CallNodeInfo:
    from sqlalchemy import select

    node, edge = CallNode.__table__, CallEdge.__table__
    row = conn.execute(select(node).where(node.c.call_hash == call_hash)).first()
    if row is None:
        raise UnknownIdError(f"no call node {call_hash} in the repository")
    children = conn.execute(
        select(edge.c.child_id).where(edge.c.parent_id == call_hash).order_by(edge.c.call_order)
    )
    parents = conn.execute(select(edge.c.parent_id).where(edge.c.child_id == call_hash))
    return CallNodeInfo(
        row.call_hash,
        row.task_name,
        row.task_hash,
        row.args_hash,
        row.value_hash,
        row.timestamp,
        get_arguments(conn, [call_hash]).get(call_hash, []),
        [r[0] for r in children],
        sorted({r[0] for r in parents}),
    )


def get_task(conn: Connection, task_hash: str) -> Any:
    """The task row (hash, name, namespace, source)."""
    from sqlalchemy import select

    task = Task.__table__
    row = conn.execute(select(task).where(task.c.hash == task_hash)).first()
    if row is None:
        raise UnknownIdError(f"no task {task_hash} in the repository")
    return row


def list_tasks(
    conn: Connection, task_name: str | None = None, where: Sequence[Any] = ()
) -> list[Any]:
    from sqlalchemy import select

    rows = list(conn.execute(select(Task.__table__).where(*where)))
    if task_name:
        rows = [
            r for r in rows if (f"{r.namespace}.{r.name}" if r.namespace else r.name) == task_name
        ]
    return rows


def list_call_nodes(
    conn: Connection, task_name: str | None = None, where: Sequence[Any] = ()
) -> list[Any]:
    from sqlalchemy import select

    node = CallNode.__table__
    query = select(node).where(*where).order_by(node.c.timestamp)
    if task_name:
        query = query.where(node.c.task_name == task_name)
    return list(conn.execute(query))


def get_value_rows(conn: Connection, value_hashes: Sequence[str]) -> dict[str, Any]:
    from sqlalchemy import select

    value = Value.__table__
    found: dict[str, Any] = {}
    for start in range(0, len(value_hashes), IN_CHUNK):
        part = value_hashes[start : start + IN_CHUNK]
        for row in conn.execute(select(value).where(value.c.value_hash.in_(part))):
            found[row.value_hash] = row
    return found


def list_values(conn: Connection, where: Sequence[Any] = ()) -> list[Any]:
    from sqlalchemy import select

    return list(conn.execute(select(Value.__table__).where(*where)))


class FileHit(NamedTuple):
    """A recorded File value and the job that produced (or consumed) it."""

    value_hash: str
    path: str
    job_id: str | None
    # "result" (produced by the job), "arg" (consumed by it) or None (only recorded).
    kind: str | None


def find_file(conn: Connection, path: str) -> FileHit | None:
    """The job that produced the file at ``path``, else the latest that consumed it.

    A file counts when it is a call's result or argument itself or nested inside one (a
    list of files, say). The newest recorded version of the path wins (the latest job
    touching it), since it has the best chance of matching the file on disk; its
    producer is the first job to return it (a caller returning it again, or a cached
    replay, ends later), as upstream picks the deepest call.
    """
    from sqlalchemy import select

    file, job, node = File.__table__, Job.__table__, CallNode.__table__
    arg, sub = Argument.__table__, Subvalue.__table__
    query = select(file.c.value_hash).where(file.c.path == path)
    hashes = [row[0] for row in conn.execute(query)]
    if not hashes:
        return None
    for kind, holder, time in (
        ("result", node.c.value_hash, job.c.end_time),
        ("arg", arg.c.value_hash, job.c.start_time),
    ):
        base = select(job.c.id, time).join(node, node.c.call_hash == job.c.call_hash)
        if kind == "arg":
            base = base.join(arg, arg.c.call_hash == node.c.call_hash)
        direct = base.add_columns(holder.label("file_hash")).where(holder.in_(hashes))
        nested = (
            base.add_columns(sub.c.value_hash.label("file_hash"))
            .join(sub, sub.c.parent_value_hash == holder)
            .where(sub.c.value_hash.in_(hashes))
        )
        hits = [(*row, True) for row in conn.execute(direct)]
        hits += [(*row, False) for row in conn.execute(nested)]
        hits = [hit for hit in hits if hit[1] is not None]
        if not hits:
            continue
        newest = max(hits, key=lambda hit: hit[1])[2]
        versions = [hit for hit in hits if hit[2] == newest]
        if kind == "result":
            # Direct producers before callers that only pass it along; earliest first.
            best = min(versions, key=lambda hit: (not hit[3], hit[1]))
        else:
            best = max(versions, key=lambda hit: (hit[3], hit[1]))
        return FileHit(newest, path, best[0], kind)
    return FileHit(hashes[0], path, None, None)


def list_files(conn: Connection, where: Sequence[Any] = ()) -> list[tuple[str, str]]:
    """``(value_hash, path)`` of recorded files (values matching ``where``), by path."""
    from sqlalchemy import select

    file, value = File.__table__, Value.__table__
    query = (
        select(file.c.value_hash, file.c.path)
        .join(value, value.c.value_hash == file.c.value_hash)
        .where(*where)
        .order_by(file.c.path)
    )
    return [tuple(row) for row in conn.execute(query)]
