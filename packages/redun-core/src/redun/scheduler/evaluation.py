"""Reducing nested values that contain expressions.

``evaluate`` returns the concrete value directly when there is nothing lazy inside, and a
Promise otherwise, so a fan-out over plain values allocates no promises at all.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from redun.expression import (
    Expression,
    QuotedExpression,
    SimpleExpression,
    TaskExpression,
    ValueExpression,
    get_lazy_operation,
)
from redun.promise import Promise
from redun.value.nested import PLAIN_LEAF_TYPES, dataclass_from_fields, is_namedtuple

if TYPE_CHECKING:
    from redun.scheduler.job import Job


def contains_expression(value: Any) -> bool:
    """Whether a nested value holds any expression to evaluate."""
    value_type = type(value)
    if value_type in PLAIN_LEAF_TYPES:
        return False
    if isinstance(value, Expression):
        return True
    if value_type is tuple or value_type is list:
        return any(
            type(item) not in PLAIN_LEAF_TYPES and contains_expression(item) for item in value
        )
    if value_type is dict:
        for key, item in value.items():
            if (type(item) not in PLAIN_LEAF_TYPES and contains_expression(item)) or (
                type(key) not in PLAIN_LEAF_TYPES and contains_expression(key)
            ):
                return True
        return False
    if value_type is set or is_namedtuple(value):
        return any(contains_expression(item) for item in value)
    if dataclasses.is_dataclass(value_type):
        return any(contains_expression(getattr(value, f.name)) for f in dataclasses.fields(value))
    return False


def iter_task_expressions(value: Any) -> list[TaskExpression]:
    """Every TaskExpression inside a (possibly lazy) nested value, for dataflow records."""
    found: list[TaskExpression] = []
    stack = [value]
    while stack:
        item = stack.pop()
        item_type = type(item)
        if item_type in PLAIN_LEAF_TYPES:
            continue
        if isinstance(item, TaskExpression):
            found.append(item)
            stack.extend(item.args)
            stack.extend(item.kwargs.values())
        elif isinstance(item, SimpleExpression):
            stack.extend(item.args)
            stack.extend(item.kwargs.values())
        elif item_type in (list, tuple, set) or is_namedtuple(item):
            stack.extend(item)
        elif item_type is dict:
            stack.extend(item.values())
    return found


# Argument types whose equal values (of the same type) always hash alike: a call with
# only these is told apart by its values, without hashing (floats are left out: 0.0 and
# -0.0 are equal but hash differently).
_EXACT_TYPES = frozenset({int, str, bytes, bool, type(None)})


def _call_key(expr: TaskExpression) -> Any:
    """What makes two task expressions the same call: their hash, or, for a call of
    plain values and no options, the values themselves (hashing every call of a big
    fan-out only to find it has no twin cost ~10% of a cached rerun)."""
    fields = expr.__dict__  # never getattr: a missing attribute is a lazy expression
    args, kwargs = fields.get("args"), fields.get("kwargs")
    if (
        type(args) is tuple
        and type(kwargs) is dict
        and not fields.get("_options")
        and not fields.get("_export_options")
        and all(type(arg) in _EXACT_TYPES for arg in args)
        and all(type(arg) in _EXACT_TYPES for arg in kwargs.values())
    ):
        return (
            expr.task_name,
            tuple((type(arg), arg) for arg in args),
            tuple(sorted((key, type(arg), arg) for key, arg in kwargs.items())),
        )
    try:
        return expr.get_hash()
    except Exception:
        # Arguments that cannot be hashed: the job itself reports that error.
        return id(expr)


class Evaluator:
    """Walks nested values; delegates TaskExpressions to ``eval_task_expression``.

    Each expression object is evaluated once per parent (its ``env_key``), never once
    per run: a shared object, such as a default argument, may run under parents with
    different contexts.
    """

    def __init__(self, eval_task_expression: Callable[[TaskExpression, Job | None], Promise]):
        self._eval_task_expression = eval_task_expression
        # (parent, id(expr)) -> (expr, promise), the expression kept alive with its id.
        self._tasks: dict[tuple[str | None, Any], tuple[TaskExpression, Promise]] = {}
        self._simple: dict[tuple[str | None, int], tuple[SimpleExpression, Promise]] = {}

    def reset(self) -> None:
        self._tasks.clear()
        self._simple.clear()

    def task_calls(self) -> list[tuple[TaskExpression, Promise]]:
        """Every task expression evaluated since ``reset``, with its promise."""
        return list(self._tasks.values())

    def evaluate(self, value: Any, parent_job: Job | None) -> Promise:
        result = self._eval(value, parent_job)
        return result if isinstance(result, Promise) else Promise.resolved(result)

    def _eval_task_call(self, value: TaskExpression, parent_job: Job | None) -> Any:
        """One evaluation per distinct call under a parent, as upstream redun: two equal
        expressions (same task, arguments and options; e.g. ``[add(1, 2), add(1, 2)]``)
        share one job, and the second learns the first's call hash when it is done."""
        env = parent_job.env_key if parent_job is not None else None
        key = (env, _call_key(value))
        known = self._tasks.get(key)
        if known is not None:
            first, promise = known
            if first is value:
                return promise

            def share_call_hash(result: Any) -> Any:
                value.call_hash = first.call_hash
                return result

            return promise.then(share_call_hash)
        promise = self._eval_task_expression(value, parent_job)
        self._tasks[key] = (value, promise)
        return promise

    def _eval(self, value: Any, parent_job: Job | None) -> Any:
        value_type = type(value)
        if value_type in PLAIN_LEAF_TYPES:
            return value
        if isinstance(value, TaskExpression):
            return self._eval_task_call(value, parent_job)
        if isinstance(value, SimpleExpression):
            return self._eval_simple(value, parent_job)
        if isinstance(value, ValueExpression):
            return value.value
        if isinstance(value, QuotedExpression):
            return value
        if value_type is list:
            return self._gather(value, parent_job, list)
        if value_type is tuple:
            return self._gather(value, parent_job, tuple)
        if is_namedtuple(value):
            return self._gather(value, parent_job, lambda items: value_type(*items))
        if value_type is set:
            return self._gather(list(value), parent_job, set)
        if value_type is dict:
            keys = list(value.keys())
            items = keys + list(value.values())
            n = len(keys)
            return self._gather(items, parent_job, lambda xs: dict(zip(xs[:n], xs[n:])))
        if dataclasses.is_dataclass(value_type):
            fields = dataclasses.fields(value)
            names = [f.name for f in fields]
            items = [getattr(value, name) for name in names]

            def rebuild(xs: list) -> Any:
                return dataclass_from_fields(value, dict(zip(names, xs)))

            return self._gather(items, parent_job, rebuild)
        return value

    def _gather(self, items: Any, parent_job: Job | None, build: Callable[[Any], Any]) -> Any:
        results = [self._eval(item, parent_job) for item in items]
        if not any(isinstance(r, Promise) for r in results):
            return build(results)
        return Promise.all(results).then(build)

    def _eval_simple(self, expr: SimpleExpression, parent_job: Job | None) -> Promise:
        key = (parent_job.env_key if parent_job is not None else None, id(expr))
        cached = self._simple.get(key)
        if cached is not None:
            return cached[1]
        operation = get_lazy_operation(expr.func_name)
        if operation is None:
            promise = Promise.rejected(
                NotImplementedError(f"unknown lazy operation '{expr.func_name}'")
            )
        else:
            args = self.evaluate((expr.args, expr.kwargs), parent_job)

            def apply(evaluated: tuple) -> Any:
                pos, kw = evaluated
                return self._eval(operation(*pos, **kw), parent_job)

            promise = args.then(apply)
        self._simple[key] = (expr, promise)
        return promise
