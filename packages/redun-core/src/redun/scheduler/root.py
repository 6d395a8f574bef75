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


def needs_root_task(expr: Any) -> bool:
    """A root must be a plain TaskExpression whose arguments are already concrete."""
    if not isinstance(expr, TaskExpression) or isinstance(expr, SchedulerExpression):
        return True
    return contains_expression((expr.args, expr.kwargs))
