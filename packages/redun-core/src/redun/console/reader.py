"""What the console shows, read from the repository without any UI code.

Screens ask a :class:`ConsoleReader` for plain records (NamedTuples) and only lay them
out, so everything the console knows can be tested without a terminal, and the console
and `redun log` agree on statuses and previews (both use ``redun.backends.db.queries``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NamedTuple

from redun.backends.db import graph, queries
from redun.console.formatting import format_argv, format_tags
from redun.errors import UsageError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from redun.backends.db.queries import ExecutionInfo, JobInfo

MAX_VALUE_TEXT = 5000
MAX_JOBS = 100


class ExecutionDetail(NamedTuple):
    info: ExecutionInfo
    # Jobs in tree order (preorder, children in call order) with their depth.
    tree: list[tuple[JobInfo, int]]
    args: dict[str, str]
    counts: dict[str, Counter[str]]


class Upstream(NamedTuple):
    """A call whose result flowed into an argument of the job being shown."""

    arg_name: str
    call_hash: str
    task_name: str
    job_id: str | None


class JobDetail(NamedTuple):
    job: JobInfo
    execution: ExecutionInfo
    job_tags: list[tuple[str, Any]]
    args: list[graph.ArgumentFlow]
    result_hash: str | None
    result: str
    error: str | None
    traceback: list[str]
    upstreams: list[Upstream]
    children: list[JobInfo]
    source: str


class ValueDetail(NamedTuple):
    value_hash: str
    type_name: str
    text: str
    # Jobs whose call returned this value, and jobs that took it as an argument.
    produced_by: list[JobInfo]
    used_by: list[JobInfo]


class TaskDetail(NamedTuple):
    hash: str
    fullname: str
    source: str
    jobs: list[JobInfo]


class SearchHit(NamedTuple):
    kind: str
    id: str
    label: str
    path: str


def record_path(kind: str, record_id: str) -> str:
    """The console path of a record (``executions/<id>``, ``jobs/<id>``, ...)."""
    return {
        "Execution": "executions",
        "Job": "jobs",
        "Task": "tasks",
        "Value": "values",
    }[kind] + f"/{record_id}"


def _load_text(row: Any) -> tuple[bool, Any]:
    from redun.backends.db.preview import load_value

    return load_value(row.type, row.format, row.value)


class ConsoleReader:
    """Read-only view of a repository for the console; one short transaction per call."""

    def __init__(self, backend: Any) -> None:
        if getattr(backend, "transaction", None) is None:
            raise UsageError("`redun console` needs a SQL database backend; check db_uri")
        self.backend = backend

    @contextmanager
    def conn(self) -> Iterator[Connection]:
        with self.backend.transaction() as conn:
            yield conn

    # -- ids -----------------------------------------------------------------------
    def resolve(self, text: str) -> str:
        """Console path for an id, id prefix, ``-`` or ``~N``."""
        with self.conn() as conn:
            kind, full_id = queries.resolve_id(conn, text)
            if kind == "CallNode":
                jobs = _jobs_with_call(conn, full_id)
                if jobs:
                    return record_path("Job", jobs[0].id)
                return record_path("Value", queries.get_call_node(conn, full_id).value_hash)
        return record_path(kind, full_id)

    # -- executions ----------------------------------------------------------------
    def executions(self, statuses: list[str], find: str = "") -> list[ExecutionInfo]:
        """Executions newest first, filtered by status and a case-insensitive substring."""
        with self.conn() as conn:
            infos = queries.list_executions(conn, statuses)
        needle = find.lower()
        if not needle:
            return infos
        return [info for info in infos if needle in _execution_text(info).lower()]

    def execution(self, execution_id: str) -> ExecutionDetail:
        with self.conn() as conn:
            info = queries.get_execution(conn, execution_id)
            call_graph = graph.call_graph(conn, execution_id)
        children: dict[str, list[str]] = defaultdict(list)
        for parent, child in call_graph.edges:
            children[parent].append(child)
        by_id = {job.id: job for job in call_graph.jobs}
        tree: list[tuple[JobInfo, int]] = []
        stack = [(info.job.id, 0)] if info.job.id in by_id else []
        while stack:
            job_id, depth = stack.pop()
            tree.append((by_id[job_id], depth))
            stack.extend((child, depth + 1) for child in reversed(children[job_id]))
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for job in call_graph.jobs:
            counts[job.task_name][job.status] += 1
        return ExecutionDetail(info, tree, call_graph.args, dict(counts))

    # -- jobs ----------------------------------------------------------------------
    def job(self, job_id: str) -> JobDetail:
        with self.conn() as conn:
            jobs = queries.get_jobs(conn, [job_id])
            if job_id not in jobs:
                raise queries.UnknownIdError(f"no job {job_id} in the repository")
            job = jobs[job_id]
            execution = queries.get_execution(conn, job.execution_id)
            tags = queries.get_tags(conn, [job.id]).get(job.id, [])
            source = queries.get_task(conn, job.task_hash).source or ""
            children = _job_list(conn, "parent_id", job.id, newest_first=False)
            if not job.call_hash:
                return JobDetail(
                    job, execution, tags, [], None, "Unknown", None, [], [], children, source
                )
            node = queries.get_call_node(conn, job.call_hash)
            flows = graph.argument_flows(conn, [job.call_hash], {job.call_hash: job.task_hash})
            args = flows.get(job.call_hash, [])
            upstreams = _upstreams(conn, args, job.execution_id)
            row = queries.get_value_rows(conn, [node.value_hash]).get(node.value_hash)
        result, error, trace = _result_texts(node.value_hash, row)
        return JobDetail(
            job,
            execution,
            tags,
            args,
            node.value_hash,
            result,
            error,
            trace,
            upstreams,
            children,
            source,
        )

    # -- values and tasks ------------------------------------------------------------
    def value(self, value_hash: str) -> ValueDetail:
        from sqlalchemy import select

        from redun.backends.db.tables import Argument, CallNode, Job

        with self.conn() as conn:
            row = queries.get_value_rows(conn, [value_hash]).get(value_hash)
            if row is None:
                raise queries.UnknownIdError(f"no value {value_hash} in the repository")
            node, arg, job = CallNode.__table__, Argument.__table__, Job.__table__
            made = select(job.c.id).join(node, node.c.call_hash == job.c.call_hash)
            made = made.where(node.c.value_hash == value_hash)
            used = select(job.c.id).join(arg, arg.c.call_hash == job.c.call_hash)
            used = used.where(arg.c.value_hash == value_hash)
            made_ids = [r[0] for r in conn.execute(made.limit(50))]
            used_ids = [r[0] for r in conn.execute(used.limit(50))]
            jobs = queries.get_jobs(conn, list(dict.fromkeys(made_ids + used_ids)))
        ok, obj = _load_text(row)
        text = _pretty(obj) if ok else f"<{row.type} {value_hash[:8]}>"
        return ValueDetail(
            value_hash,
            row.type,
            text,
            [jobs[i] for i in dict.fromkeys(made_ids) if i in jobs],
            [jobs[i] for i in dict.fromkeys(used_ids) if i in jobs],
        )

    def task(self, task_hash: str) -> TaskDetail:
        with self.conn() as conn:
            row = queries.get_task(conn, task_hash)
            fullname = f"{row.namespace}.{row.name}" if row.namespace else row.name
            jobs = _job_list(conn, "task_hash", task_hash, newest_first=True)
        return TaskDetail(row.hash, fullname, row.source or "", jobs)

    # -- search --------------------------------------------------------------------
    def search(self, text: str, limit: int = 200) -> list[SearchHit]:
        """Executions, tasks and jobs whose id, command, task name or tags contain text."""
        needle = text.strip().lower()
        if not needle:
            return []
        hits: list[SearchHit] = []
        for info in self.executions([], needle):
            label = f"[{info.status}] {_execution_text(info)}"
            hits.append(SearchHit("Execution", info.id, label, record_path("Execution", info.id)))
        with self.conn() as conn:
            for task in queries.list_tasks(conn):
                name = f"{task.namespace}.{task.name}" if task.namespace else task.name
                if needle in name.lower() or task.hash.startswith(needle):
                    hits.append(SearchHit("Task", task.hash, name, record_path("Task", task.hash)))
            for job in _find_jobs(conn, needle, limit):
                label = f"[{job.status}] {job.task_name}"
                hits.append(SearchHit("Job", job.id, label, record_path("Job", job.id)))
        return hits[:limit]


def _execution_text(info: ExecutionInfo) -> str:
    return f"{info.id} {info.job.task_name} {format_argv(info.args)} {format_tags(info.tags)}"


def _job_list(conn: Connection, column: str, value: str, newest_first: bool) -> list[JobInfo]:
    """Up to ``MAX_JOBS`` jobs whose ``column`` equals ``value``, by start time."""
    from sqlalchemy import select

    from redun.backends.db.tables import Job

    job = Job.__table__
    order = job.c.start_time.desc() if newest_first else job.c.start_time
    query = select(job.c.id).where(job.c[column] == value).order_by(order).limit(MAX_JOBS)
    ids = [row[0] for row in conn.execute(query)]
    found = queries.get_jobs(conn, ids)
    return [found[i] for i in ids if i in found]


def _find_jobs(conn: Connection, needle: str, limit: int) -> list[JobInfo]:
    """Newest jobs whose id starts with, or whose task name contains, ``needle``."""
    from sqlalchemy import func, or_, select

    from redun.backends.db.tables import Job, Task

    job, task = Job.__table__, Task.__table__
    fullname = func.lower(task.c.namespace + "." + task.c.name)
    query = (
        select(job.c.id)
        .join(task, task.c.hash == job.c.task_hash)
        .where(or_(job.c.id.startswith(needle), fullname.contains(needle, autoescape=True)))
        .order_by(job.c.start_time.desc())
        .limit(limit)
    )
    ids = [row[0] for row in conn.execute(query)]
    found = queries.get_jobs(conn, ids)
    return [found[i] for i in ids if i in found]


def _jobs_with_call(conn: Connection, call_hash: str) -> list[JobInfo]:
    from sqlalchemy import select

    from redun.backends.db.tables import Job

    job = Job.__table__
    query = select(job.c.id).where(job.c.call_hash == call_hash).order_by(job.c.start_time)
    ids = [row[0] for row in conn.execute(query.limit(1))]
    return list(queries.get_jobs(conn, ids).values())


def _upstreams(
    conn: Connection, args: list[graph.ArgumentFlow], execution_id: str
) -> list[Upstream]:
    from sqlalchemy import select

    from redun.backends.db.tables import CallNode, Job

    producers = sorted({p for arg in args for p in arg.producers})
    if not producers:
        return []
    node, job = CallNode.__table__, Job.__table__
    query = select(node.c.call_hash, node.c.task_name).where(node.c.call_hash.in_(producers))
    names = {call_hash: name for call_hash, name in conn.execute(query)}
    jobs: dict[str, str] = {}
    query = select(job.c.call_hash, job.c.id, job.c.execution_id).where(
        job.c.call_hash.in_(producers)
    )
    for call_hash, job_id, exec_id in conn.execute(query.order_by(job.c.start_time)):
        # Prefer the job of the same execution; else the oldest that made it.
        if call_hash not in jobs or exec_id == execution_id:
            jobs[call_hash] = job_id
    return [
        Upstream(arg.name, p, names.get(p, p[:8]), jobs.get(p))
        for arg in args
        for p in arg.producers
    ]


def _result_texts(value_hash: str, row: Any) -> tuple[str, str | None, list[str]]:
    """(result text, error text or None, traceback lines) of a call node's value."""
    if row is None:
        return f"<missing value {value_hash[:8]}>", None, []
    ok, obj = _load_text(row)
    if row.type == queries.ERROR_VALUE_TYPE:
        if not ok:
            return "ErrorValue", f"<{row.type} {value_hash[:8]}>", []
        error = getattr(obj, "error", obj)
        trace = getattr(obj, "traceback", None)
        lines: list[str] = []
        if trace is not None and hasattr(trace, "format"):
            lines = [line.rstrip("\n") for line in trace.format()]
        return repr(obj), f"{type(error).__name__}: {error}", lines
    return (_pretty(obj) if ok else f"<{row.type} {value_hash[:8]}>"), None, []


def _pretty(obj: Any) -> str:
    from pprint import pformat

    try:
        text = pformat(obj, width=100)
    except Exception:  # noqa: BLE001 - a broken __repr__ only degrades the display
        text = f"<{type(obj).__name__}>"
    return text if len(text) <= MAX_VALUE_TEXT else text[: MAX_VALUE_TEXT - 3] + "..."
