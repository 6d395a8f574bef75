"""``CallGraphQuery``: upstream's documented query API over a repository, for scripts and
``redun console``.

A query selects records of five kinds (Execution, Job, CallNode, Task, Value) at once.
Each filter narrows some kinds with a ``WHERE`` condition on that kind's table (mostly
``id IN (subquery)``, the conditions ``redun log`` uses, from
``redun.backends.db.record_filters``) and may drop kinds it does not apply to. Queries are
immutable: every filter returns a new query, so a base query can be reused::

    query = CallGraphQuery(scheduler.backend.session)
    query.filter_task_names(["main"]).filter_job_statuses(["FAILED"]).all()
    dict(query.filter_execution_tags([("project", "acme")]).count())

Because conditions are subqueries rather than joins, a record never appears twice.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from redun.backends.db.models import (
    CallNode,
    Execution,
    File,
    Job,
    Task,
    Value,
)
from redun.backends.db.queries import ERROR_VALUE_TYPE
from redun.backends.db.queries import find_file as find_file_hit
from redun.backends.db.record_filters import RecordFilter, task_name_condition

JOB_STATUSES = ("DONE", "CACHED", "FAILED", "RUNNING")


def job_status_condition(status: str) -> Any:
    """``job.id IN (...)`` for jobs whose derived status is ``status`` (as `redun log`
    derives it: FAILED from an error result, RUNNING without an end time, then CACHED
    or DONE)."""
    import sqlalchemy as sa

    job, node, value = Job.__table__, CallNode.__table__, Value.__table__
    failed = value.c.type == ERROR_VALUE_TYPE
    ok = sa.func.coalesce(value.c.type, "") != ERROR_VALUE_TYPE
    terms = {
        "FAILED": failed,
        "RUNNING": sa.and_(job.c.end_time.is_(None), ok),
        "CACHED": sa.and_(job.c.end_time.is_not(None), job.c.cached.is_(True), ok),
        "DONE": sa.and_(job.c.end_time.is_not(None), job.c.cached.is_not(True), ok),
    }
    if status not in terms:
        raise ValueError(f"unknown job status '{status}' (one of {', '.join(JOB_STATUSES)})")
    ids = (
        sa.select(job.c.id)
        .outerjoin(node, node.c.call_hash == job.c.call_hash)
        .outerjoin(value, value.c.value_hash == node.c.value_hash)
        .where(terms[status])
    )
    return job.c.id.in_(ids)


class CallGraphQuery:
    """An immutable query over the records of a repository (see the module docstring).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        ``backend.session`` of a loaded ``RedunBackendDb``.
    """

    MODEL_CLASSES: dict[str, Any] = {
        "Execution": Execution,
        "Job": Job,
        "CallNode": CallNode,
        "Task": Task,
        "Value": Value,
    }
    MODEL_NAMES = list(MODEL_CLASSES)
    MODEL_PKS: dict[Any, str] = {
        Execution: "id",
        Job: "id",
        CallNode: "call_hash",
        Task: "hash",
        Value: "value_hash",
    }

    def __init__(
        self,
        session: Any,
        filter_types: Iterable[str] | None = None,
        where: dict[str, tuple[Any, ...]] | None = None,
        order_by: str | None = None,
    ) -> None:
        self._session = session
        self._filter_types = set(self.MODEL_NAMES if filter_types is None else filter_types)
        self._where: dict[str, tuple[Any, ...]] = where or {}
        self._order_by = order_by

    # -- building ------------------------------------------------------------------------

    def clone(self, **kwargs: Any) -> CallGraphQuery:
        """A copy with ``filter_types``, ``where`` or ``order_by`` replaced."""
        state: dict[str, Any] = {
            "filter_types": self._filter_types,
            "where": self._where,
            "order_by": self._order_by,
        }
        state.update(kwargs)
        return CallGraphQuery(self._session, **state)

    def _narrow(self, conditions: dict[str, Any], kinds: Iterable[str] | None = None) -> Any:
        """Add a condition per kind; keep only ``kinds`` when given."""
        where = dict(self._where)
        for kind, condition in conditions.items():
            where[kind] = where.get(kind, ()) + (condition,)
        types = self._filter_types if kinds is None else self._filter_types & set(kinds)
        return self.clone(where=where, filter_types=types)

    def _from_filter(self, record_filter: RecordFilter, kinds: Iterable[str] | None = None) -> Any:
        wanted = self.MODEL_NAMES if kinds is None else list(kinds)
        return self._narrow(
            {kind: _all_of(record_filter.conditions(kind)) for kind in wanted}, kinds
        )

    def filter_types(self, types: Iterable[str]) -> CallGraphQuery:
        """Return only records of these kinds (``"Execution"``, ``"Job"``, ...)."""
        types = set(types)
        unknown = types - set(self.MODEL_NAMES)
        if unknown:
            raise ValueError(f"unknown record type(s): {', '.join(sorted(unknown))}")
        return self.clone(filter_types=types)

    def filter_ids(self, _ids: Iterable[str]) -> CallGraphQuery:
        """Records whose id (hash) is one of these."""
        ids = list(_ids)
        return self._narrow({kind: self._pk(kind).in_(ids) for kind in self.MODEL_NAMES})

    def like_id(self, id: str) -> CallGraphQuery:
        """Records whose id starts with ``id``; tasks also match by name."""
        import sqlalchemy as sa

        pattern = id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions = {kind: self._pk(kind).like(pattern, escape="\\") for kind in self.MODEL_NAMES}
        conditions["Task"] = sa.or_(conditions["Task"], Task.__table__.c.name == id)
        return self._narrow(conditions)

    def filter_execution_ids(self, execution_ids: Iterable[str]) -> CallGraphQuery:
        """Records belonging to these executions (a value belongs through a job's
        arguments or result, or as an item nested in one)."""
        return self._from_filter(RecordFilter(exec_ids=list(execution_ids)))

    def filter_execution_tags(self, tags: Iterable[tuple[str, Any]]) -> CallGraphQuery:
        """Records belonging to executions carrying all these tags (``ANY_VALUE`` from
        ``redun.tags`` matches any value of a key)."""
        return self._from_filter(RecordFilter(exec_tags=list(tags)))

    def filter_tags(self, tags: Iterable[tuple[str, Any]]) -> CallGraphQuery:
        """Records carrying all these current tags (``ANY_VALUE`` matches any value)."""
        return self._from_filter(RecordFilter(tags=list(tags)))

    def filter_job_statuses(self, job_statuses: Iterable[str]) -> CallGraphQuery:
        """Jobs with one of these statuses (DONE, CACHED, FAILED, RUNNING)."""
        import sqlalchemy as sa

        statuses = list(job_statuses)
        if not statuses:
            raise ValueError("filter_job_statuses needs at least one status")
        condition = sa.or_(*(job_status_condition(status) for status in statuses))
        return self._narrow({"Job": condition}, ["Job"])

    def filter_execution_statuses(self, execution_statuses: Iterable[str]) -> CallGraphQuery:
        """Executions with one of these statuses (an execution has its root job's status;
        a cached root job counts as DONE), newest first."""
        import sqlalchemy as sa

        statuses = list(execution_statuses)
        if not statuses:
            raise ValueError("filter_execution_statuses needs at least one status")
        if "DONE" in statuses:
            statuses.append("CACHED")
        job = Job.__table__
        roots = sa.select(job.c.id).where(
            sa.or_(*(job_status_condition(status) for status in statuses))
        )
        condition = Execution.__table__.c.job_id.in_(roots)
        return self._narrow({"Execution": condition}, ["Execution"]).clone(order_by="time")

    def filter_task_names(self, task_names: Iterable[str]) -> CallGraphQuery:
        """Jobs and tasks of these tasks, by name or ``namespace.name``."""
        import sqlalchemy as sa

        task = Task.__table__
        by_name = sa.or_(
            *(
                task_name_condition(task.c.namespace, task.c.name, name)
                if "." in name
                else task.c.name == name
                for name in task_names
            )
        )
        hashes = sa.select(task.c.hash).where(by_name)
        return self._narrow(
            {"Job": Job.__table__.c.task_hash.in_(hashes), "Task": by_name}, ["Job", "Task"]
        )

    def filter_task_hashes(self, task_hashes: Iterable[str]) -> CallGraphQuery:
        """Jobs and tasks of tasks with these hashes."""
        hashes = list(task_hashes)
        return self._narrow(
            {
                "Job": Job.__table__.c.task_hash.in_(hashes),
                "Task": Task.__table__.c.hash.in_(hashes),
            },
            ["Job", "Task"],
        )

    def filter_arguments(self, value_hashes: list[str]) -> CallGraphQuery:
        """Jobs called with one of these values as an argument (or nested in one)."""
        return self._from_filter(RecordFilter(args=list(value_hashes)), ["Job"])

    def filter_results(self, value_hashes: list[str]) -> CallGraphQuery:
        """Jobs that returned one of these values (or a value containing one)."""
        return self._from_filter(RecordFilter(results=list(value_hashes)), ["Job"])

    def filter_value_types(self, value_types: Iterable[str]) -> CallGraphQuery:
        """Values of these types (``builtins.int``, ``redun.File``, ...)."""
        return self._from_filter(RecordFilter(value_types=list(value_types)), ["Value"])

    def filter_file_paths(self, paths: Iterable[str]) -> CallGraphQuery:
        """File values whose path matches one of these patterns (``*`` is a wildcard)."""
        return self._from_filter(RecordFilter(file_paths=list(paths)), ["Value"])

    def order_by(self, order_by: str) -> CallGraphQuery:
        """Order executions and jobs newest first; ``"time"`` is the only ordering."""
        if order_by != "time":
            raise ValueError(f"unknown ordering '{order_by}' (only 'time' is supported)")
        return self.clone(order_by=order_by)

    def empty(self) -> CallGraphQuery:
        """A query that matches nothing (keeps the kinds, for ``count``)."""
        import sqlalchemy as sa

        return self._narrow({kind: sa.false() for kind in self.MODEL_NAMES})

    def build(self) -> CallGraphQuery:
        """Upstream builds its joins lazily; conditions here are ready as added."""
        return self

    # -- reading -------------------------------------------------------------------------

    def _pk(self, kind: str) -> Any:
        model = self.MODEL_CLASSES[kind]
        return model.__table__.c[self.MODEL_PKS[model]]

    def _subquery(self, kind: str) -> Any:
        """The ORM query of one kind, filtered and ordered."""
        model = self.MODEL_CLASSES[kind]
        query = self._session.query(model).filter(*self._where.get(kind, ()))
        if self._order_by == "time":
            if kind == "Job":
                query = query.order_by(Job.start_time.desc(), Job.id)
            elif kind == "Execution":
                job = Job.__table__
                started = _select_scalar(job.c.start_time, job.c.id == Execution.__table__.c.job_id)
                query = query.order_by(started.desc(), Execution.id)
        return query

    @property
    def subqueries(self) -> list[tuple[str, Any]]:
        """``(kind, ORM query)`` for each of the five kinds, in order."""
        return [(kind, self._subquery(kind)) for kind in self.MODEL_NAMES]

    def _kinds(self) -> list[str]:
        return [kind for kind in self.MODEL_NAMES if kind in self._filter_types]

    def all(self) -> Iterator[Any]:
        """Every matching record: executions, then jobs, call nodes, tasks, values."""
        for kind in self._kinds():
            yield from self._subquery(kind)

    def one(self) -> Any:
        """The single matching record; ``ValueError`` when there are none or several."""
        [record] = list(islice(self.all(), 2))
        return record

    def one_or_none(self) -> Any:
        """The single matching record, else None (also when several match)."""
        records = list(islice(self.all(), 2))
        return records[0] if len(records) == 1 else None

    def first(self) -> Any:
        """The first matching record, or None."""
        return next(self.all(), None)

    def limit(self, size: int) -> Iterator[Any]:
        """At most ``size`` matching records."""
        yield from islice(self.all(), size)

    def page(self, page: int, page_size: int) -> Iterator[Any]:
        """Page ``page`` (zero-based) of ``page_size`` records, in ``all()`` order."""
        remaining = page_size
        skip = page * page_size
        for kind, count in list(self.count()):
            if skip >= count:
                skip -= count
                continue
            query = self._subquery(kind).offset(skip).limit(remaining)
            skip = 0
            for record in query:
                remaining -= 1
                yield record
            if remaining <= 0:
                return

    def count(self) -> Iterator[tuple[str, int]]:
        """``(kind, number of matching records)`` for each kind the query returns."""
        for kind in self._kinds():
            yield kind, self._subquery(kind).order_by(None).count()

    def select(self, *columns: str, flat: bool = False) -> Iterator[Any]:
        """Columns of each record: ``"id"`` and/or ``"type"``; ``flat`` yields the one
        column's values rather than tuples."""
        for column in columns:
            if column not in ("id", "type"):
                raise ValueError(f"Unknown column '{column}'.")
        for record in self.all():
            row = tuple(
                getattr(record, self.MODEL_PKS[type(record)])
                if column == "id"
                else type(record).__name__
                for column in columns
            )
            yield row[0] if flat else row


def _all_of(conditions: list[Any]) -> Any:
    """One condition from a kind's filter conditions (true when there are none)."""
    import sqlalchemy as sa

    return sa.and_(sa.true(), *conditions)


def _select_scalar(column: Any, where: Any) -> Any:
    """A correlated scalar subquery (an execution's root job start time, for ordering)."""
    import sqlalchemy as sa

    return sa.select(column).where(where).scalar_subquery()


# -- ids ---------------------------------------------------------------------------------


def find_file(session: Any, path: str) -> tuple[File, Job, str] | None:
    """The recorded File at ``path`` with the job that produced it (``"result"``), else
    the latest job that consumed it (``"arg"``); None when no job touched it."""
    hit = find_file_hit(session.connection(), path)
    if hit is None or hit.job_id is None or hit.kind is None:
        return None
    file = session.get(File, hit.value_hash)
    job = session.get(Job, hit.job_id)
    return file, job, hit.kind


def infer_specialty_id(session: Any, id: str, include_files: bool = True) -> Any:
    """A record named without its id: a file path (an existing local path or a URL),
    ``-`` (the latest execution) or ``~N`` (the Nth latest). None otherwise."""
    if include_files and (os.path.exists(id) or ":" in id):
        found = find_file(session, id)
        if found:
            return found
    if id != "-" and not re.fullmatch(r"~\d+", id):
        return None
    index = 1 if id == "-" else int(id[1:])
    if index < 1:
        raise ValueError("Execution index should >= 1.")
    executions = CallGraphQuery(session).filter_types(["Execution"]).order_by("time")
    records = list(executions.limit(index))
    if id == "-":
        return records[0] if records else None
    if len(records) < index:
        raise ValueError(f"Execution index too high: {index}")
    return records[index - 1]


def infer_id(session: Any, id: str, include_files: bool = True, required: bool = False) -> Any:
    """The record ``id`` names: a specialty id (see ``infer_specialty_id``) or an id
    prefix. A file gives ``(File, Job, "result" | "arg")``. With ``required``, exactly one
    record must match (``ValueError`` otherwise); else the first match or None."""
    record = infer_specialty_id(session, id, include_files=include_files)
    if record:
        return record
    query = CallGraphQuery(session).like_id(id)
    return query.one() if required else query.first()
