"""The built-in root task every execution starts from when its expression needs wrapping."""

from __future__ import annotations

from typing import Any

from redun.expression import QuotedExpression, SchedulerExpression, TaskExpression
from redun.scheduler.evaluation import contains_expression
from redun.task import task


# Pinned to upstream's root_task hash so root jobs share cache entries with upstream DBs.
@task(name="root_task", namespace="redun", compat=["d2fb66af6183efcf1b55b176d1e94b48b56f10b8"])
def root_task(expr: QuotedExpression) -> Any:
    """Unwrap the workflow expression so the scheduler evaluates it under one root job."""
    return expr.eval()


def needs_root_task(expr: Any, task_registry: Any = None) -> bool:
    """A root must be a plain TaskExpression whose arguments are already concrete,
    including the defaults of the parameters it omits: a default expression is a job of
    its own, which needs a parent job as the call's other arguments do."""
    if not isinstance(expr, TaskExpression) or isinstance(expr, SchedulerExpression):
        return True
    if contains_expression((expr.args, expr.kwargs)):
        return True
    task = task_registry.get(expr.task_name) if task_registry is not None else None
    if task is None:
        return False
    signature = task.call_signature
    given = set(signature.positional[: len(expr.args)]) | set(expr.kwargs)
    return any(
        name not in given and contains_expression(default) for name, default in signature.defaults
    )
