"""Functional helpers over lazy values: map, flatten, zip, compose, delay/force, ...

Everything here is a task (or builds a call of one) in namespace ``redun`` at version
"1", so the task hashes are upstream redun's and cached calls replay across both.
``map_`` and ``seq`` are scheduler tasks: they decide what to evaluate and when.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from textwrap import dedent
from typing import TYPE_CHECKING, Any, TypeVar

from redun.expression import QuotedExpression, SchedulerExpression, quote
from redun.promise import Promise
from redun.task import PartialTask, Task, scheduler_task, task

if TYPE_CHECKING:
    from redun.scheduler import Job, Scheduler

T = TypeVar("T")


@task(namespace="redun", version="1")
def compose_apply(tasks: Sequence[Task], *args: Any, **kwargs: Any) -> Any:
    """Call the last task on the arguments, then each earlier task on the result."""
    ordered = list(tasks)
    result = ordered[-1](*args, **kwargs)
    for a_task in reversed(ordered[:-1]):
        result = a_task(result)
    return result


def compose(*tasks: Task) -> PartialTask:
    """``compose(f, g)(x) == f(g(x))``, as a task value that can be passed around."""
    return compose_apply.partial(tasks)


@task(namespace="redun", version="1")
def identity(x: T) -> T:
    """Return ``x``: a task boundary that does nothing, for ``delay`` and tests."""
    return x


def delay(x: T) -> PartialTask:
    """Wrap ``x`` in a task of no arguments so nothing in it is evaluated until ``force``.

    Arguments bound in a partial task are not evaluated by the scheduler, which makes
    the partial task behave like ``lambda: x``.
    """
    return identity.partial(x)


def force(x: Task[[], T]) -> T:
    """Evaluate a value wrapped by :func:`delay`."""
    return x()


@scheduler_task(namespace="redun", version="1")
def seq(
    scheduler: Scheduler,
    parent_job: Job,
    sexpr: SchedulerExpression,
    exprs: Sequence[Any],
) -> Promise:
    """Evaluate ``exprs`` one after another (each starts when the previous finished).

    Useful when steps share a side effect the dataflow cannot see, such as writing
    files into one directory before listing it.
    """
    items = list(exprs)
    results: list[Any] = []

    def step(index: int) -> Any:
        if index == len(items):
            return results

        def collect(value: Any) -> Any:
            results.append(value)
            return step(index + 1)

        return scheduler.evaluate(items[index], parent_job=parent_job).then(collect)

    return Promise.resolved(None).then(lambda _: step(0))


@task(namespace="redun", version="1")
def const(x: T, _: Any) -> T:
    """Return ``x`` once ``_`` has been evaluated: run something for its effect only."""
    return x


@task(namespace="redun", version="1")
def apply_func(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call a plain module-level function on lazy arguments (``apply_func(len, xs)``)."""
    return func(*args, **kwargs)


def as_task(func: Callable[..., T]) -> PartialTask:
    """Use a plain module-level function as a task: ``as_task(max)(a(), b())``."""
    return apply_func.partial(func)


@task(namespace="redun", version="1")
def eval_(code: str, *args: Any, **kwargs: Any) -> Any:
    """Evaluate a Python expression with keyword (and named positional) variables.

    For small reshaping of lazy values without writing a task:
    ``eval_("[r.name for r in rows]", rows=get_rows())``. Positional arguments are
    bound to the names listed in the ``pos_args`` keyword.
    """
    pos_args = kwargs.pop("pos_args", [])
    if len(pos_args) != len(args):
        raise TypeError(
            f"eval_() got {len(args)} positional arguments but pos_args names "
            f"{len(pos_args)}: {list(pos_args)}"
        )
    variables = dict(zip(pos_args, args))
    variables.update(kwargs)
    return eval(dedent(code), variables)


def _describe_job(job: Job | None) -> str:
    if job is None:
        return "the workflow root"
    return f"job {job.id[:8]} ({job.task.fullname})"


def _check_mappable(values: Any, a_task: Any, parent_job: Job | None) -> list:
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        name = getattr(a_task, "fullname", repr(a_task))
        raise TypeError(
            f"map_({name}, ...) in {_describe_job(parent_job)} needs a list of values, "
            f"got {type(values).__name__}: {values!r:.60}"
        )
    return list(values)


@scheduler_task(namespace="redun", version="1")
def map_(
    scheduler: Scheduler,
    parent_job: Job,
    sexpr: SchedulerExpression,
    a_task: Task,
    values: Sequence[Any],
) -> Promise:
    """Call ``a_task`` on each value in parallel: ``map_(f, xs) == [f(x) for x in xs]``.

    ``values`` may be lazy (a task's result), so the length need not be known when the
    workflow is built. Nested maps fuse: ``map_(g, map_(f, xs))`` becomes one map of
    ``compose(g, f)``, so each item flows through both without waiting for the others.
    """
    tasks = [a_task]
    while isinstance(values, SchedulerExpression) and values.task_name == "redun.map_":
        tasks.append(values.args[0])
        values = values.args[1]
    mapped_task = tasks[0] if len(tasks) == 1 else compose(*tasks)

    def fan_out(concrete_task: Task, concrete_values: Any) -> Promise:
        items = _check_mappable(concrete_values, concrete_task, parent_job)
        return scheduler.evaluate([concrete_task(item) for item in items], parent_job=parent_job)

    def with_task(concrete_task: Task) -> Any:
        if isinstance(values, (list, tuple)):
            return fan_out(concrete_task, values)
        return scheduler.evaluate(values, parent_job=parent_job).then(
            lambda concrete_values: fan_out(concrete_task, concrete_values)
        )

    return scheduler.evaluate(mapped_task, parent_job=parent_job).then(with_task)


def starmap(
    a_task: Task[..., T],
    kwargs: list[dict] | Any = [],  # noqa: B006  (read only)
) -> list[T]:
    """Call ``a_task(**item)`` for each dict in ``kwargs`` (which may be lazy)."""
    return map_(eval_.partial("a_task(**x)", pos_args=["x"], a_task=a_task), kwargs)


@task(namespace="redun", version="1")
def flatten(list_of_lists: Sequence[Sequence[T]]) -> list[T]:
    """Concatenate a list of lists."""
    return [value for sublist in list_of_lists for value in sublist]


@task(namespace="redun", version="1")
def flat_map(a_task: Task[..., list[T]], values: list) -> list[T]:
    """``map_`` a task that returns lists, then flatten the lists into one."""
    return flatten(map_(a_task, values))


@task(namespace="redun", version="1")
def zip_(*lists: list[T]) -> list[tuple[T, ...]]:
    """``zip`` over lazy lists, as a list of tuples."""
    return list(zip(*lists))


@task(name="no_prov_helper", namespace="redun", version="1", prov=False)
def _no_prov_helper(expr: QuotedExpression[T]) -> T:
    """Release the quoted expression inside a job whose descendants record nothing."""
    return expr.eval()


@task(name="no_prov", namespace="redun", version="1", check_valid="shallow")
def _no_prov(expr: QuotedExpression[T]) -> T:
    """The recorded wrapper: its shallow cache check can replay the whole subtree."""
    return _no_prov_helper(expr)


def no_prov(expr: T) -> T:
    """Evaluate ``expr`` without recording provenance for the tasks inside it.

    For huge fan-outs of tiny tasks whose individual records are not worth their cost.
    The wrapper call itself is recorded with a shallow validity check, so an unchanged
    re-run is still replayed from the cache in one step.
    """
    # Quoting keeps the caller from evaluating expr outside the prov=False scope.
    return _no_prov(quote(expr))
