"""Why a call missed the cache, from the recorded call nodes.

Both explanations start from the same search: the most recent recorded call of the same
task that shares the most with this one (same eval hash, same arguments, same code, or
just the same task name). Dry runs log upstream's three-way reason from it
(``explain_cache_miss``); ``redun why`` compares the call found with this one part by
part (``redun.backends.db.why``).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from redun.backends.db.sql_backend import SqlBackend


class PreviousCall(NamedTuple):
    """A recorded call to compare with, and what it shares with the call explained.

    ``kind`` is ``same_call`` (same code and arguments: the cached result itself was
    unusable), ``new_task`` (same arguments, other code), ``new_args`` (same code, other
    arguments) or ``new_call`` (only the task name is shared).
    """

    kind: str
    call_hash: str
    task_hash: str
    args_hash: str


def _latest(conn: Connection, *conditions: Any, by_name: tuple[str, str] | None = None) -> Any:
    from sqlalchemy import select

    from redun.backends.db.tables import CallNode, Task

    node, task = CallNode.__table__, Task.__table__
    query = select(node.c.call_hash, node.c.task_hash, node.c.args_hash)
    if by_name is not None:
        query = query.join(task, task.c.hash == node.c.task_hash).where(
            task.c.name == by_name[0], task.c.namespace == by_name[1]
        )
    return conn.execute(query.where(*conditions).order_by(node.c.timestamp.desc()).limit(1)).first()


def find_previous_call(
    conn: Connection,
    name: str,
    namespace: str,
    task_hash: str,
    args_hash: str,
    before: datetime | None = None,
) -> PreviousCall | None:
    """The recorded call (before ``before``) closest to this one, or None if the task
    never ran."""
    from redun.backends.db.tables import CallNode

    node = CallNode.__table__
    when = [node.c.timestamp < before] if before is not None else []
    searches = [
        ("same_call", [node.c.task_hash == task_hash, node.c.args_hash == args_hash], None),
        ("new_task", [node.c.args_hash == args_hash], (name, namespace)),
        ("new_args", [node.c.task_hash == task_hash], None),
        ("new_call", [], (name, namespace)),
    ]
    for kind, conditions, by_name in searches:
        row = _latest(conn, *conditions, *when, by_name=by_name)
        if row is not None:
            return PreviousCall(kind, row[0], row[1], row[2])
    return None


def explain_cache_miss(
    backend: SqlBackend, name: str, namespace: str, task_hash: str, args_hash: str
) -> dict[str, Any]:
    """``new_task`` (same arguments seen with other code), ``new_args`` (this code seen
    with other arguments) or ``new_call`` (neither), as upstream's dry run words it."""
    from redun.backends.db.tables import CallNode

    node = CallNode.__table__
    with backend.transaction() as conn:
        same_args = _latest(conn, node.c.args_hash == args_hash, by_name=(name, namespace))
        if same_args is not None:
            return {"reason": "new_task", "call_task_hash": same_args[1]}
        same_task = _latest(conn, node.c.task_hash == task_hash)
    if same_task is not None:
        return {"reason": "new_args", "call_args_hash": same_task[2]}
    return {"reason": "new_call"}


def find_call_with_files(
    conn: Connection, task_hash: str, paths: list[str], before: datetime | None = None
) -> PreviousCall | None:
    """The latest recorded call of this code whose arguments hold a file at one of
    ``paths`` (directly, or inside a list or dict).

    In a fan-out every call of a task has other arguments, so the latest call is a
    sibling (another sample); the call that read the same file is the one to compare.
    """
    from sqlalchemy import select

    from redun.backends.db.tables import Argument, CallNode, File, Subvalue

    node, arg, file, sub = (
        CallNode.__table__,
        Argument.__table__,
        File.__table__,
        Subvalue.__table__,
    )
    if not paths:
        return None
    when = [node.c.timestamp < before] if before is not None else []
    direct = file.c.value_hash == arg.c.value_hash
    nested = file.c.value_hash.in_(
        select(sub.c.value_hash).where(sub.c.parent_value_hash == arg.c.value_hash)
    )
    for holds in (direct, nested):
        query = (
            select(node.c.call_hash, node.c.task_hash, node.c.args_hash)
            .join(arg, arg.c.call_hash == node.c.call_hash)
            .join(file, holds)
            .where(node.c.task_hash == task_hash, file.c.path.in_(paths[:500]), *when)
            .order_by(node.c.timestamp.desc())
            .limit(1)
        )
        row = conn.execute(query).first()
        if row is not None:
            return PreviousCall("new_args", row[0], row[1], row[2])
    return None
