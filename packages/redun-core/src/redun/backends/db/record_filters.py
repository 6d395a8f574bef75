"""The filters of `redun log` as SQL conditions, one set per record kind.

Each filter narrows one or more kinds (``--task-hash`` keeps jobs and tasks, ``--arg``
only jobs, ``--value-type`` only values) and becomes a ``WHERE`` condition on that
kind's table, usually ``id IN (subquery)``, so the database does the filtering and the
listing never loads the whole repository into Python. Hash filters accept prefixes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from redun.backends.db.tables import (
    Argument,
    CallNode,
    Execution,
    File,
    Job,
    Subvalue,
    Tag,
    Task,
    Value,
)
from redun.tags import ANY_VALUE

KEY_COLUMNS = {
    "Execution": (Execution, "id"),
    "Job": (Job, "id"),
    "CallNode": (CallNode, "call_hash"),
    "Task": (Task, "hash"),
    "Value": (Value, "value_hash"),
}


def _prefixes(column: Any, prefixes: Sequence[str]) -> Any:
    from sqlalchemy import or_

    return or_(*(column.like(_escape(p) + "%", escape="\\") for p in prefixes))


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _tagged(tags: Sequence[tuple[str, Any]]) -> list[Any]:
    """One subquery of entity ids per tag pattern (an entity must match them all)."""
    from sqlalchemy import select

    tag = Tag.__table__
    queries = []
    for key, value in tags:
        query = select(tag.c.entity_id).where(tag.c.is_current.is_(True), tag.c.key == key)
        if value is not ANY_VALUE:
            query = query.where(tag.c.value == value)
        queries.append(query)
    return queries


def _in_executions(kind: str, executions: Any) -> Any:
    """Records of ``kind`` that belong to the executions selected by ``executions``."""
    from sqlalchemy import or_, select, union

    job, node, arg = Job.__table__, CallNode.__table__, Argument.__table__
    if kind == "Execution":
        return Execution.__table__.c.id.in_(executions)
    if kind == "Job":
        return job.c.execution_id.in_(executions)
    calls = select(job.c.call_hash).where(job.c.execution_id.in_(executions))
    if kind == "CallNode":
        return node.c.call_hash.in_(calls)
    if kind == "Task":
        return Task.__table__.c.hash.in_(
            select(job.c.task_hash).where(job.c.execution_id.in_(executions))
        )
    values = union(
        select(node.c.value_hash).where(node.c.call_hash.in_(calls)),
        select(arg.c.value_hash).where(arg.c.call_hash.in_(calls)),
    ).subquery()
    # Items nested in those values (the files in a returned list) belong too.
    sub = Subvalue.__table__
    nested = select(sub.c.value_hash).where(sub.c.parent_value_hash.in_(select(values.c[0])))
    return or_(
        Value.__table__.c.value_hash.in_(select(values.c[0])),
        Value.__table__.c.value_hash.in_(nested),
    )


def task_name_condition(column_namespace: Any, column_name: Any, fullname: str) -> Any:
    """Match a task by full name (``ns.name``, or ``name`` without a namespace)."""
    from sqlalchemy import and_, or_

    namespace, _, name = fullname.rpartition(".")
    plain = and_(or_(column_namespace.is_(None), column_namespace == ""), column_name == fullname)
    if not namespace:
        return plain
    return or_(and_(column_namespace == namespace, column_name == name), plain)


@dataclass
class RecordFilter:
    """The `redun log` filters besides status and task name."""

    exec_ids: list[str] = field(default_factory=list)
    task_hashes: list[str] = field(default_factory=list)
    value_types: list[str] = field(default_factory=list)
    file_paths: list[str] = field(default_factory=list)
    results: list[str] = field(default_factory=list)
    args: list[str] = field(default_factory=list)
    tags: list[tuple[str, Any]] = field(default_factory=list)
    exec_tags: list[tuple[str, Any]] = field(default_factory=list)

    def implied_kinds(self) -> set[str]:
        """Kinds a filter asks for when no kind flag is given."""
        kinds = set()
        if self.task_hashes:
            kinds |= {"Job", "Task"}
        if self.results or self.args:
            kinds.add("Job")
        if self.value_types or self.file_paths:
            kinds.add("Value")
        return kinds

    def allows(self, kind: str) -> bool:
        """False when a filter applies only to other kinds."""
        if self.task_hashes and kind not in ("Job", "Task"):
            return False
        if (self.results or self.args) and kind != "Job":
            return False
        return not ((self.value_types or self.file_paths) and kind != "Value")

    def conditions(self, kind: str) -> list[Any]:
        """WHERE conditions on the table of ``kind``."""
        from sqlalchemy import select, union

        model, key = KEY_COLUMNS[kind]
        table = model.__table__
        id_column = table.c[key]
        job, node, arg, sub = (
            Job.__table__,
            CallNode.__table__,
            Argument.__table__,
            Subvalue.__table__,
        )
        found: list[Any] = []
        if self.exec_ids:
            found.append(_in_executions(kind, self.exec_ids))
        for query in _tagged(self.exec_tags):
            found.append(_in_executions(kind, query))
        for query in _tagged(self.tags):
            found.append(id_column.in_(query))
        if self.task_hashes:
            column = job.c.task_hash if kind == "Job" else Task.__table__.c.hash
            found.append(_prefixes(column, self.task_hashes))
        if self.results:
            direct = select(node.c.call_hash).where(_prefixes(node.c.value_hash, self.results))
            nested = (
                select(node.c.call_hash)
                .join(sub, sub.c.parent_value_hash == node.c.value_hash)
                .where(_prefixes(sub.c.value_hash, self.results))
            )
            found.append(job.c.call_hash.in_(union(direct, nested)))
        if self.args:
            direct = select(arg.c.call_hash).where(_prefixes(arg.c.value_hash, self.args))
            nested = (
                select(arg.c.call_hash)
                .join(sub, sub.c.parent_value_hash == arg.c.value_hash)
                .where(_prefixes(sub.c.value_hash, self.args))
            )
            found.append(job.c.call_hash.in_(union(direct, nested)))
        if self.value_types:
            found.append(Value.__table__.c.type.in_(self.value_types))
        if self.file_paths:
            from sqlalchemy import or_

            file = File.__table__
            patterns = [_escape(path).replace("*", "%") for path in self.file_paths]
            paths = select(file.c.value_hash).where(
                or_(*(file.c.path.like(p, escape="\\") for p in patterns))
            )
            found.append(Value.__table__.c.value_hash.in_(paths))
        return found
