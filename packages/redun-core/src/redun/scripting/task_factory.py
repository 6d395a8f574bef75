"""Building ``script=True`` tasks: the function returns a script, the job runs it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from redun.task.registry import get_task_registry
from redun.task.task import Task


def make_script_task(
    func: Callable[..., Any],
    name: str | None = None,
    namespace: str | None = None,
    version: str | None = None,
    compat: list[str] | None = None,
    options: dict | None = None,
    export_keys: set[str] | None = None,
    hash_includes: list | None = None,
    source: str | None = None,
) -> Task:
    """Register a task whose body returns a shell script instead of a result.

    The scheduler sends such jobs to ``executor.submit_script``; the executor calls the
    body to get the script (:func:`redun.scripting.get_task_command`) and runs it where
    the task's executor runs, so a script task gets the same resources (``executor``,
    ``memory``, ...) as any other task. The job's result is the script's stdout bytes.

    Parameters mirror ``@task``; ``options`` are the decorator-time task options and
    ``export_keys`` the names among them that descendants inherit.
    """
    new_task: Task = Task(
        func,
        name=name,
        namespace=namespace,
        version=version,
        compat=compat,
        script=True,
        task_options_base=options,
        export_options=export_keys,
        hash_includes=hash_includes,
        source=source,
    )
    get_task_registry().add(new_task)
    return new_task
