"""Federated tasks: call a task whose code lives elsewhere, named in redun.ini.

A ``[federated_tasks.NAME]`` section says where a task comes from (``namespace``,
``task_name``, ``load_module``), which config to run it with (``config_dir``) and on
which ``executor``; ``federated_task("NAME", *args, **kwargs)`` runs it there in a child
scheduler (a :func:`redun.scheduler.subrun`). The caller needs neither the code nor its
config. Since the task's code is not visible here, only a CSE hit within the run may
reuse a result.

``[scheduler] federated_configs`` lists config directories whose executors and
federated tasks are merged in (:mod:`redun.federated_config`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from redun.errors import ConfigError
from redun.expression import TaskExpression
from redun.task import CacheScope, scheduler_task

if TYPE_CHECKING:
    from redun.expression import SchedulerExpression
    from redun.promise import Promise
    from redun.scheduler import Job, Scheduler

REQUIRED_KEYS = ("namespace", "task_name", "load_module", "executor", "config_dir")


class FederatedTaskError(ConfigError, AssertionError):
    """A federated task is not configured, or its section lacks a required key.

    Also an AssertionError, which is what upstream raises here.
    """


def federated_task_config(config: Any, entrypoint: str) -> dict[str, Any]:
    """The ``[federated_tasks.ENTRYPOINT]`` section as a dict, checked for the keys a
    call needs (``description`` is documentation only, so it is dropped)."""
    sections = config.get("federated_tasks") or {}
    if entrypoint not in sections:
        raise FederatedTaskError(
            f"Could not find the entrypoint `{entrypoint}` in the provided federated tasks. "
            f"Found `{sorted(sections)}`"
        )
    section = dict(sections[entrypoint])
    missing = [key for key in REQUIRED_KEYS if key not in section]
    if missing:
        raise FederatedTaskError(
            f"Federated task entry `{entrypoint}` does not have the required keys, missing "
            f"`{set(missing)}` (in [federated_tasks.{entrypoint}])"
        )
    section.pop("description", None)
    return section


@scheduler_task(namespace="redun")
def federated_task(
    scheduler: Scheduler,
    parent_job: Job,
    scheduler_expr: SchedulerExpression,
    entrypoint: str,
    *task_args: Any,
    **task_kwargs: Any,
) -> Promise:
    """Run the federated task ``entrypoint`` with the given arguments.

    The remaining keys of its section (``new_execution``, task options such as
    ``memory``) are passed on to the subrun.
    """
    from redun.config_values import to_bool
    from redun.scheduler.subrun import subrun

    section = federated_task_config(scheduler.config, entrypoint)
    if "new_execution" in section:
        section["new_execution"] = to_bool(section["new_execution"])
    expr = TaskExpression(
        f"{section.pop('namespace')}.{section.pop('task_name')}", task_args, task_kwargs
    )
    run = subrun(
        expr,
        executor=section.pop("executor"),
        load_modules=[section.pop("load_module")],
        cache_scope=CacheScope.CSE,
        **section,
    )
    return scheduler.evaluate(run, parent_job=parent_job)
