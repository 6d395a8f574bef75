"""SQL lookups behind the dataflow walk (``redun.backends.db.dataflow``).

The walk goes upward from one value, but some of its questions fan out: "which of this
call's children produced the value?" (an execution's root call can have 100,000
children), "which calls fed this argument?" (an argument can be a list of thousands of
results). Each such question is one query here, answered in the database, so a walk
loads only the records it shows rather than every child and every subvalue.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, func, not_, or_, select, tuple_

from redun.backends.db import tables as t

# redun's own script tasks: calls to them are skipped to keep the display about the user's.
INTERNAL_TASKS = {("redun", "script"), ("redun", "postprocess_script")}


def _not_internal(task_hash_column: Any) -> Any:
    internal = select(t.task.c.hash).where(
        tuple_(t.task.c.namespace, t.task.c.name).in_(list(INTERNAL_TASKS))
    )
    return not_(task_hash_column.in_(internal))


def holds(whole_hash_column: Any, value_hash: str) -> Any:
    """SQL condition: the value in ``whole_hash_column`` is ``value_hash`` or contains it."""
    return or_(
        whole_hash_column == value_hash,
        exists().where(
            and_(
                t.subvalue.c.parent_value_hash == whole_hash_column,
                t.subvalue.c.value_hash == value_hash,
            )
        ),
    )


def producers(session: Any, value_hash: str) -> list[tuple[str, datetime | None]]:
    """Calls (not redun's internal ones) whose result is, or contains, the value.

    Each comes with the start time of its latest job (``None`` if it has no job).
    """
    node = t.call_node
    query = (
        select(node.c.call_hash, func.max(t.job.c.start_time))
        .outerjoin(t.job, t.job.c.call_hash == node.c.call_hash)
        .where(holds(node.c.value_hash, value_hash), _not_internal(node.c.task_hash))
        .group_by(node.c.call_hash)
        .order_by(node.c.call_hash)
    )
    return [(call_hash, start) for call_hash, start in session.execute(query)]


def ancestors_among(session: Any, call_hashes: list[str]) -> set[str]:
    """Those of ``call_hashes`` that are an ancestor (caller, at any depth) of another."""
    if len(call_hashes) < 2:
        return set()
    edge = t.call_edge
    start = (
        select(edge.c.child_id.label("origin"), edge.c.parent_id.label("node"))
        .where(edge.c.child_id.in_(call_hashes))
        .cte("ancestors", recursive=True)
    )
    step = select(start.c.origin, edge.c.parent_id).join(edge, edge.c.child_id == start.c.node)
    ancestors = start.union(step)
    query = select(ancestors.c.node).distinct().where(ancestors.c.node.in_(call_hashes))
    return {row[0] for row in session.execute(query)}


def children_holding(session: Any, parent_hash: str, value_hash: str, limit: int) -> list[str]:
    """Up to ``limit`` children of a call whose result is, or contains, the value."""
    node, edge = t.call_node, t.call_edge
    query = (
        select(node.c.call_hash)
        .join(edge, edge.c.child_id == node.c.call_hash)
        .where(
            edge.c.parent_id == parent_hash,
            holds(node.c.value_hash, value_hash),
            _not_internal(node.c.task_hash),
        )
        .distinct()
        .limit(limit)
    )
    return [row[0] for row in session.execute(query)]


def has_feeders(session: Any, arg_hash: str) -> bool:
    """Whether any call's result was recorded as feeding the argument."""
    query = select(t.argument_result.c.result_call_hash).where(
        t.argument_result.c.arg_hash == arg_hash
    )
    return session.execute(query.limit(1)).first() is not None


def latest_common_parent(session: Any, arg_hash: str, call_hash: str) -> str | None:
    """The newest call that called both the argument's call and every call feeding it."""
    edge, node = t.call_edge, t.call_node
    feeders = select(t.argument_result.c.result_call_hash).where(
        t.argument_result.c.arg_hash == arg_hash
    )
    members = select(feeders.subquery().c.result_call_hash).union(select(_literal(call_hash)))
    members = members.subquery()
    wanted = select(func.count()).select_from(members).scalar_subquery()
    query = (
        select(edge.c.parent_id)
        .join(node, node.c.call_hash == edge.c.parent_id)
        .where(edge.c.child_id.in_(select(members.c[0])))
        .group_by(edge.c.parent_id, node.c.timestamp)
        .having(func.count(func.distinct(edge.c.child_id)) == wanted)
        .order_by(node.c.timestamp.desc())
        .limit(1)
    )
    return session.execute(query).scalar()


def _literal(text: str) -> Any:
    from sqlalchemy import literal

    return literal(text, type_=t.call_node.c.call_hash.type)


def feeders_in_call_order(session: Any, arg_hash: str, parent_hash: str) -> list[str]:
    """Calls feeding an argument, in the order ``parent_hash`` made them, last first."""
    edge, result = t.call_edge, t.argument_result
    query = (
        select(edge.c.child_id)
        .join(result, result.c.result_call_hash == edge.c.child_id)
        .where(result.c.arg_hash == arg_hash, edge.c.parent_id == parent_hash)
        .order_by(edge.c.call_order.desc())
    )
    return [row[0] for row in session.execute(query)]


def feeders_holding(session: Any, arg_hash: str, value_hash: str) -> set[str]:
    """Calls feeding an argument whose result is, or contains, the value."""
    node, result = t.call_node, t.argument_result
    query = (
        select(node.c.call_hash)
        .join(result, result.c.result_call_hash == node.c.call_hash)
        .where(result.c.arg_hash == arg_hash, holds(node.c.value_hash, value_hash))
    )
    return {row[0] for row in session.execute(query)}


def arguments_holding(session: Any, call_hash: str, value_hash: str) -> set[str]:
    """A call's arguments (their hashes) that are, or contain, the value."""
    arg = t.argument
    query = select(arg.c.arg_hash).where(
        arg.c.call_hash == call_hash, holds(arg.c.value_hash, value_hash)
    )
    return {row[0] for row in session.execute(query)}


def latest_parent(session: Any, call_hash: str) -> str | None:
    """The newest call that called ``call_hash``."""
    edge, node = t.call_edge, t.call_node
    query = (
        select(edge.c.parent_id)
        .join(node, node.c.call_hash == edge.c.parent_id)
        .where(edge.c.child_id == call_hash)
        .order_by(node.c.timestamp.desc())
        .limit(1)
    )
    return session.execute(query).scalar()
