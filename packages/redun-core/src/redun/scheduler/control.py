"""Lazy control flow as scheduler tasks: cond, catch, catch_all, throw, get_context.

Scheduler tasks receive their arguments unevaluated, so each form decides what to
evaluate (only the chosen branch of ``cond``; the recovery of ``catch`` only on error).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from redun.context_values import get_context_value
from redun.expression import derive_expression
from redun.hashing import hash_eval
from redun.promise import Promise
from redun.task import CacheScope, scheduler_task, task
from redun.value.nested import map_nested_value

if TYPE_CHECKING:
    from redun.expression import SchedulerExpression
    from redun.scheduler.job import Job
    from redun.scheduler.scheduler import Scheduler


@scheduler_task(namespace="redun", version="1")
def cond(
    scheduler: Scheduler,
    parent_job: Job,
    scheduler_expr: SchedulerExpression,
    cond_expr: Any,
    then_expr: Any,
    *rest: Any,
) -> Promise:
    """``cond(pred, then, [pred2, then2, ...], [else])``: evaluate only the chosen branch."""

    def choose(pred: Any) -> Any:
        if pred:
            return scheduler.evaluate(then_expr, parent_job=parent_job)
        if len(rest) == 0:
            return None
        if len(rest) == 1:
            return scheduler.evaluate(rest[0], parent_job=parent_job)
        return scheduler.evaluate(cond(*rest), parent_job=parent_job)

    return scheduler.evaluate(cond_expr, parent_job=parent_job).then(choose)


@task(namespace="redun", version="1")
def throw(error: Exception) -> None:
    """Raise ``error`` when evaluated (lazily)."""
    raise error


def _matches(error: BaseException, error_class: Any) -> bool:
    return isinstance(error, error_class)


@scheduler_task(namespace="redun", version="1")
def catch(
    scheduler: Scheduler,
    parent_job: Job,
    scheduler_expr: SchedulerExpression,
    expr: Any,
    *catch_args: Any,
) -> Promise:
    """``catch(expr, ErrorClass, recover, ...)``: a lazy try/except.

    The cache entry (keyed by catch's own eval hash) is written only once ``expr``
    succeeded or its error was recovered, and it stores the expression that succeeded
    (``expr`` or ``recover(error)``): a rerun replays that, so a recovered error's
    failing task does not run again, and an unhandled error is never cached.
    """
    if len(catch_args) % 2 != 0:
        return Promise.rejected(
            TypeError("catch() takes pairs of (exception class, recover task) after the expression")
        )
    pairs = list(zip(catch_args[::2], catch_args[1::2]))
    for error_class, _ in pairs:
        classes = error_class if isinstance(error_class, tuple) else (error_class,)
        if not all(isinstance(c, type) and issubclass(c, BaseException) for c in classes):
            return Promise.rejected(
                TypeError(f"catch() needs exception classes, got {error_class!r}")
            )
    try:
        eval_hash, args_hash = hash_eval(
            scheduler.type_registry, catch.hash, (expr, *catch_args), {}
        )
    except Exception:
        eval_hash = args_hash = None

    def remember(value: Any) -> Callable[[Any], Any]:
        def on_done(result: Any) -> Any:
            if eval_hash is not None:
                scheduler.set_cache(eval_hash, catch, args_hash, value)
            return result

        return on_done

    def recover(error: Any) -> Any:
        for error_class, recover_task in pairs:
            if _matches(error, error_class):
                # Record where things came from: expr -> error -> recover(error) -> catch.
                recover_expr = recover_task(derive_expression(expr, error))
                derive_expression(recover_expr, scheduler_expr)
                return scheduler.evaluate(recover_expr, parent_job=parent_job).then(
                    remember(recover_expr)
                )
        raise error

    scope = CacheScope(scheduler_expr._options.get("cache_scope", CacheScope.BACKEND))
    if eval_hash is not None and scope != CacheScope.NONE:
        hit, cached_expr = scheduler.check_eval_cache(eval_hash)
        if hit:
            return scheduler.evaluate(cached_expr, parent_job=parent_job).then(None, recover)
    return scheduler.evaluate(expr, parent_job=parent_job).then(remember(expr), recover)


@scheduler_task(namespace="redun", version="1")
def catch_all(
    scheduler: Scheduler,
    parent_job: Job,
    scheduler_expr: SchedulerExpression,
    exprs: Any,
    error_class: Any = None,
    recover: Any = None,
) -> Promise:
    """Wait for every expression in the nested value ``exprs``; if some failed, recover
    on the same nested value holding each result or error, when all errors match."""
    slots: list[_Slot] = []

    def start(leaf: Any) -> _Slot:
        slot = _Slot(
            scheduler.evaluate(leaf, parent_job=parent_job).then(
                lambda v: (True, v), lambda e: (False, e)
            )
        )
        slots.append(slot)
        return slot

    # Each leaf is evaluated on its own, so one failure does not hide its siblings.
    shape = map_nested_value(start, exprs)

    def finish(outcomes: list) -> Any:
        errors = [value for ok, value in outcomes if not ok]
        for slot, (_, value) in zip(slots, outcomes, strict=True):
            slot.value = value
        values = map_nested_value(lambda slot: slot.value, shape)
        if not errors:
            return values
        if error_class is None or recover is None:
            raise errors[0]
        for error in errors:
            if not _matches(error, error_class):
                # The first error recover was not asked to handle is the one raised.
                raise error
        return scheduler.evaluate(recover(values), parent_job=parent_job)

    return Promise.all([slot.promise for slot in slots]).then(finish)


class _Slot:
    """Where one leaf of catch_all's nested value goes: its promise, then its outcome."""

    __slots__ = ("promise", "value")

    def __init__(self, promise: Promise) -> None:
        self.promise = promise
        self.value: Any = None


@scheduler_task(namespace="redun", version="1")
def get_context(
    scheduler: Scheduler,
    parent_job: Job,
    scheduler_expr: SchedulerExpression,
    var_path: str,
    default: Any = None,
) -> Promise:
    """The context value at a dotted path, as seen by the job that asked for it."""
    return Promise.resolved(
        get_context_value(job_context(scheduler, parent_job), var_path, default)
    )


def job_context(scheduler: Scheduler, job: Job | None) -> dict:
    if job is None:
        return scheduler.context
    return job._context or {}


@scheduler_task(namespace="redun", version="1")
def apply_tags(
    scheduler: Scheduler,
    parent_job: Job,
    scheduler_expr: SchedulerExpression,
    value: Any,
    tags: Any = (),
    job_tags: Any = (),
    execution_tags: Any = (),
) -> Promise:
    """Return ``value`` unchanged, recording tags on it, the current job and the execution."""

    def record(concrete: Any) -> Any:
        recorder = scheduler.recorder
        if tags:
            recorder.tags("Value", scheduler.type_registry.get_hash(concrete), list(tags))
        if job_tags and parent_job is not None:
            recorder.tags("Job", parent_job.id, list(job_tags))
        if execution_tags and scheduler.execution is not None:
            recorder.tags("Execution", scheduler.execution.id, list(execution_tags))
        return concrete

    return scheduler.evaluate(value, parent_job=parent_job).then(record)
