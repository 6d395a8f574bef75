"""The cache key of one call of a task, computed from the task itself.

``redun.task.hash_args_eval`` is what users (and tools that look jobs up in the
database) call to learn the eval hash a call would be cached under. It applies the same
rules the scheduler does: ``config_args`` and ``JobInfo`` arguments never change the
key, and extra positional arguments of a ``*args`` task do.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

from redun.hashing import hash_eval

if TYPE_CHECKING:
    from redun.task.task import Task
    from redun.value import TypeRegistry


def hash_args_eval(
    type_registry: TypeRegistry, task: Task, args: tuple, kwargs: dict
) -> tuple[str, str]:
    """Return ``(eval_hash, args_hash)`` of calling ``task(*args, **kwargs)``."""
    config_args = task.get_task_option("config_args") or ()
    params = task.signature.parameters
    variadic = next(
        (p.name for p in params.values() if p.kind == inspect.Parameter.VAR_POSITIONAL), None
    )

    def kept(name: str | None, value: Any) -> bool:
        # JobInfo by name: the task layer sits below the scheduler, which defines it.
        return name not in config_args and type(value).__name__ != "JobInfo"

    # Positional arguments past the named parameters belong to ``*args``.
    by_position = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    names = [name for name, p in params.items() if p.kind in by_position]
    hashed_args = [
        value
        for i, value in enumerate(args)
        if kept(names[i] if i < len(names) else variadic, value)
    ]
    hashed_kwargs = {key: value for key, value in kwargs.items() if kept(key, value)}
    return hash_eval(type_registry, task.hash, hashed_args, hashed_kwargs)
