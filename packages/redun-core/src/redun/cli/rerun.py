"""``redun run --rerun ID``: the recorded task and arguments of a past job or execution."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from redun.errors import UsageError

if TYPE_CHECKING:
    from redun.backends.base import RedunBackend


def recorded_call(backend: RedunBackend, id_prefix: str) -> tuple[str, tuple, dict]:
    """``(task fullname, args, kwargs)`` of a job (or an execution's root job)."""
    from sqlalchemy import select

    from redun.backends.db.queries import resolve_id
    from redun.backends.db.tables import Argument, Execution, Job, Task, Value
    from redun.value import get_type_registry

    job, execution = Job.__table__, Execution.__table__
    task, argument, value = Task.__table__, Argument.__table__, Value.__table__
    with backend.transaction() as conn:
        kind, full_id = resolve_id(conn, id_prefix)
        if kind == "Execution":
            full_id = conn.execute(
                select(execution.c.job_id).where(execution.c.id == full_id)
            ).scalar_one()
        elif kind != "Job":
            raise UsageError(f"--rerun needs a job or execution id; '{id_prefix}' is a {kind}")
        row = conn.execute(
            select(task.c.namespace, task.c.name, job.c.call_hash)
            .join(task, task.c.hash == job.c.task_hash)
            .where(job.c.id == full_id)
        ).first()
        if row is None or row[2] is None:
            raise UsageError(f"job {full_id[:8]} has no recorded call (it never finished)")
        namespace, name, call_hash = row
        arguments = conn.execute(
            select(argument.c.arg_position, argument.c.arg_key, value.c.type, value.c.value)
            .join(value, value.c.value_hash == argument.c.value_hash)
            .where(argument.c.call_hash == call_hash)
        ).all()
    registry = get_type_registry()
    positional: dict[int, Any] = {}
    kwargs: dict[str, Any] = {}
    for position, key, type_name, data in arguments:
        decoded = registry.deserialize(type_name, data)
        if position is not None:
            positional[position] = decoded
        else:
            kwargs[key] = decoded
    args = tuple(positional[i] for i in sorted(positional))
    fullname = f"{namespace}.{name}" if namespace else name
    return fullname, args, kwargs
