"""fork_thread / join_thread: evaluate an expression in the background of an execution.

The forked evaluation outlives the job that forked it; ``join_thread`` waits for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from redun.hashing import hash_struct
from redun.promise import Promise
from redun.task import scheduler_task
from redun.value import Value, get_type_registry

if TYPE_CHECKING:
    from redun.expression import SchedulerExpression
    from redun.scheduler.job import Job
    from redun.scheduler.scheduler import Scheduler


class Thread(Value):
    """A handle on a forked evaluation, hashed by the expression it evaluates."""

    type_name = "redun.Thread"

    def __init__(self, expr_hash: str) -> None:
        self.expr_hash = expr_hash

    def get_hash(self, data: bytes | None = None) -> str:
        return hash_struct(["Thread", self.expr_hash])

    def __getstate__(self) -> dict:
        return {"expr_hash": self.expr_hash}

    def __setstate__(self, state: dict) -> None:
        self.expr_hash = state["expr_hash"]

    def __repr__(self) -> str:
        return f"Thread({self.expr_hash[:8]})"


Thread.__module__ = "redun.scheduler"


@scheduler_task(namespace="redun", version="1")
def fork_thread(
    scheduler: Scheduler, parent_job: Job, scheduler_expr: SchedulerExpression, expr: Any
) -> Promise:
    """Start evaluating ``expr`` now and return a Thread to join later."""
    expr_hash = get_type_registry().get_hash(expr)
    threads = scheduler.threads
    if expr_hash not in threads:
        threads[expr_hash] = scheduler.evaluate(expr, parent_job=parent_job)
    return Promise.resolved(Thread(expr_hash))


@scheduler_task(namespace="redun", version="1")
def join_thread(
    scheduler: Scheduler, parent_job: Job, scheduler_expr: SchedulerExpression, thread: Any
) -> Promise:
    """The value of a forked evaluation (waits for it)."""

    def join(concrete: Thread) -> Any:
        promise = scheduler.threads.get(concrete.expr_hash)
        if promise is None:
            raise KeyError(f"unknown thread {concrete!r}: fork it in this execution first")
        return promise

    return scheduler.evaluate(thread, parent_job=parent_job).then(join)
