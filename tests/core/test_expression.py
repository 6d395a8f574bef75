"""Lazy expressions (redun/expression.py): what calling a task returns, how it reads,
hashes and pickles, and which Python operations stay lazy."""

from __future__ import annotations

import pickle

import pytest
from redun import Scheduler, task
from redun.expression import (
    SimpleExpression,
    TaskExpression,
    ValueExpression,
    quote,
)

redun_namespace = "test_expression"


@task()
def add(a: int, b: int) -> int:
    return a + b


@task(nout=2)
def pair(n: int) -> tuple:
    return n, n + 1


@task()
def record(n: int) -> dict:
    return {"n": n, "items": [n, n * 2]}


def test_calling_a_task_runs_nothing_and_names_the_call() -> None:
    expr = add(1, b=2)

    assert isinstance(expr, TaskExpression)
    assert repr(expr) == "test_expression.add(1, b=2)"
    assert (expr.task_name, expr.args, expr.kwargs) == ("test_expression.add", (1,), {"b": 2})


def test_operators_items_attributes_and_calls_stay_lazy_and_read_as_written() -> None:
    expr = add(1, 2)

    assert repr(expr + 1) == "(test_expression.add(1, 2) + 1)"
    assert repr(10 - expr) == "(10 - test_expression.add(1, 2))"
    assert repr(expr["key"]) == "test_expression.add(1, 2)['key']"
    assert repr(expr.real) == "test_expression.add(1, 2).real"
    assert repr(expr(3, x=4)) == "test_expression.add(1, 2)(3, x=4)"
    assert isinstance(expr == 3, SimpleExpression), "== builds an expression, never a bool"


def test_the_scheduler_evaluates_lazy_operations() -> None:
    scheduler = Scheduler()
    expr = record(3)

    assert scheduler.run(add(1, 2) * 10 + 1) == 31
    assert scheduler.run(expr["items"][1]) == 6
    assert scheduler.run([expr["n"] >= 3, expr["n"] < 3]) == [True, False]


def test_an_expression_is_no_bool_and_iterates_only_with_a_known_length() -> None:
    with pytest.raises(TypeError, match="cannot be coerced to bool"):
        bool(add(1, 2))
    with pytest.raises(TypeError, match="unknown length"):
        list(add(1, 2))
    first, second = pair(5)
    assert (repr(first), repr(second)) == (
        "test_expression.pair(5)[0]",
        "test_expression.pair(5)[1]",
    )
    assert Scheduler().run([first, second]) == [5, 6]
    with pytest.raises(TypeError, match="explicit stop"):
        add(1, 2)[1:]
    assert [repr(item) for item in add(1, 2)[0:2]] == [
        "test_expression.add(1, 2)[0]",
        "test_expression.add(1, 2)[1]",
    ]


def test_hashes_follow_the_call_not_the_object() -> None:
    assert add(1, 2).get_hash() == add(1, 2).get_hash()
    assert add(1, 2).get_hash() != add(2, 1).get_hash()
    assert add(1, 2).get_hash() != add.options(cache=False)(1, 2).get_hash()
    assert (add(1, 2) + 1).get_hash() == (add(1, 2) + 1).get_hash()
    assert (add(1, 2) + 1).get_hash() != (add(1, 2) + 2).get_hash()


def test_a_pickled_expression_loads_with_the_same_hash() -> None:
    expr = add(add(1, 2), b=record(3)["n"])

    loaded = pickle.loads(pickle.dumps(expr))

    assert repr(loaded) == repr(expr)
    assert loaded.get_hash() == expr.get_hash()


def test_value_expressions_wrap_values_only() -> None:
    assert repr(ValueExpression([1, 2])) == "ValueExpression([1, 2])"
    assert ValueExpression(1).get_hash() != ValueExpression(2).get_hash()
    with pytest.raises(TypeError, match="concrete values, not expressions"):
        ValueExpression(add(1, 2))


def test_a_quoted_expression_is_handed_over_unevaluated() -> None:
    expr = add(1, 2)

    assert quote(expr).eval() is expr
