"""Why a call missed the cache (dry-run explanations), from the recorded call nodes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from redun.backends.db.backend import RedunBackendDb


def explain_cache_miss(
    backend: RedunBackendDb, name: str, namespace: str, task_hash: str, args_hash: str
) -> dict[str, Any]:
    """``new_task`` (same arguments seen with other code), ``new_args`` (this code seen
    with other arguments) or ``new_call`` (neither)."""
    from sqlalchemy import select

    from redun.backends.db.tables import CallNode, Task

    node, task = CallNode.__table__, Task.__table__
    with backend.transaction() as conn:
        same_args = conn.execute(
            select(node.c.task_hash, node.c.args_hash)
            .join(task, task.c.hash == node.c.task_hash)
            .where(
                node.c.args_hash == args_hash, task.c.name == name, task.c.namespace == namespace
            )
            .order_by(node.c.timestamp.desc())
            .limit(1)
        ).first()
        if same_args is not None:
            return {"reason": "new_task", "call_task_hash": same_args[0]}
        same_task = conn.execute(
            select(node.c.args_hash)
            .where(node.c.task_hash == task_hash)
            .order_by(node.c.timestamp.desc())
            .limit(1)
        ).first()
    if same_task is not None:
        return {"reason": "new_args", "call_args_hash": same_task[0]}
    return {"reason": "new_call"}
