"""The ``@task`` and ``@scheduler_task`` decorators."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar, overload

from redun.task.task import SchedulerTask, Task
from redun.task_registry import get_task_registry

P = ParamSpec("P")
R = TypeVar("R")


@overload
def task(func: Callable[P, R]) -> Task[P, R]: ...


@overload
def task(
    *,
    name: str | None = None,
    namespace: str | None = None,
    version: str | None = None,
    compat: list[str] | None = None,
    script: bool = False,
    hash_includes: list | None = None,
    source: str | None = None,
    export_options: dict | None = None,
    **task_options_base: Any,
) -> Callable[[Callable[P, R]], Task[P, R]]: ...


def task(
    func: Callable[P, R] | None = None,
    *,
    name: str | None = None,
    namespace: str | None = None,
    version: str | None = None,
    compat: list[str] | None = None,
    script: bool = False,
    hash_includes: list | None = None,
    source: str | None = None,
    export_options: dict | None = None,
    **task_options_base: Any,
) -> Task[P, R] | Callable[[Callable[P, R]], Task[P, R]]:
    """Register a function as a redun task (bare ``@task`` or ``@task(...)``).

    Decorator options configure how the task runs (executor, limits, cache, ...); they
    are not hashed, so changing them never invalidates cached results. ``version`` and
    ``hash_includes`` are what decide when results are stale.
    """

    def deco(func: Callable[P, R]) -> Task[P, R]:
        options = dict(task_options_base)
        export_keys = None
        if export_options:
            options.update(export_options)
            export_keys = set(export_options)
        new_task: Task[P, R] = Task(
            func,
            name=name,
            namespace=namespace,
            version=version,
            compat=compat,
            script=script,
            task_options_base=options,
            export_options=export_keys,
            hash_includes=hash_includes,
            source=source,
        )
        get_task_registry().add(new_task)
        return new_task

    if func is not None:
        return deco(func)
    return deco


def scheduler_task(
    name: str | None = None,
    namespace: str | None = None,
    version: str = "1",
    **task_options_base: Any,
) -> Callable[[Callable[..., Any]], SchedulerTask]:
    """Register a special form evaluated by the scheduler itself.

    The function receives ``(scheduler, parent_job, scheduler_expr, *raw_args)`` with
    its arguments unevaluated, and returns a Promise of the result.
    """

    def deco(func: Callable[..., Any]) -> SchedulerTask:
        new_task: SchedulerTask = SchedulerTask(
            func,
            name=name,
            namespace=namespace,
            version=version,
            task_options_base=task_options_base,
        )
        get_task_registry().add(new_task)
        return new_task

    return deco
