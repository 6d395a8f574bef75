"""cond, catch, catch_all, throw, apply_tags."""

from __future__ import annotations

import sqlite3

import pytest
from redun import apply_tags, catch, cond, task
from redun.scheduler import catch_all, throw

redun_namespace = "test_control"


def test_catch_recovers_and_the_rerun_skips_the_failing_task(make_scheduler, calls):
    @task()
    def divide(a: int, b: int):
        calls.hit("divide")
        return a / b

    @task()
    def recover(error: Exception):
        calls.hit("recover")
        return 0.0

    @task()
    def main():
        return catch(divide(1, 0), ZeroDivisionError, recover)

    assert make_scheduler().run(main()) == 0.0
    assert make_scheduler().run(main()) == 0.0
    assert calls == {"divide": 1, "recover": 1}


def test_catch_dispatches_like_try_except(make_scheduler):
    @task()
    def fails(kind: str):
        raise {"key": KeyError, "value": ValueError, "type": TypeError}[kind]("x")

    @task()
    def named(error: Exception):
        return type(error).__name__

    @task()
    def main():
        return [
            catch(fails("value"), (KeyError, ValueError), named),
            catch(fails("type"), KeyError, named, TypeError, named),
        ]

    assert make_scheduler().run(main()) == ["ValueError", "TypeError"]

    @task()
    def unmatched():
        return catch(fails("key"), ValueError, named)

    with pytest.raises(KeyError):
        make_scheduler().run(unmatched())


def test_catch_rejects_a_non_exception_class(make_scheduler):
    @task()
    def one():
        return 1

    @task()
    def main():
        return catch(one(), int, one)

    with pytest.raises(TypeError, match="exception classes"):
        make_scheduler().run(main())


def test_throw_fails_only_when_evaluated(make_scheduler):
    expr = throw(ValueError("lazy"))
    with pytest.raises(ValueError, match="lazy"):
        make_scheduler().run(expr)


def test_catch_all_waits_for_everything(make_scheduler, calls):
    @task()
    def ok(x: int):
        calls.hit("ok")
        return x

    @task()
    def bad():
        raise ValueError("bad")

    @task()
    def summarize(results: list):
        return [r if not isinstance(r, Exception) else "error" for r in results]

    @task()
    def main():
        return catch_all([ok(1), bad(), ok(2)], Exception, summarize)

    assert make_scheduler().run(main()) == [1, "error", 2]
    assert calls["ok"] == 2


def test_catch_all_raises_the_first_error_recover_does_not_handle(make_scheduler):
    @task()
    def fail(error: Exception):
        raise error

    @task()
    def ok():
        return 1

    @task()
    def recover(results: list):
        return "recovered"

    scheduler = make_scheduler()
    # KeyError is listed, ValueError is not: the ValueError is raised, not the first error.
    with pytest.raises(ValueError):
        scheduler.run(catch_all([fail(KeyError()), fail(ValueError()), ok()], KeyError, recover))
    assert (
        scheduler.run(
            catch_all([fail(KeyError()), fail(ValueError())], (KeyError, ValueError), recover)
        )
        == "recovered"
    )


def test_catch_all_recovers_on_the_nested_value(make_scheduler):
    @task()
    def ok(x: int):
        return x

    @task()
    def bad():
        raise ValueError("bad")

    @task()
    def mark(results):
        return [results[0], [type(results[1][0]).__name__, results[1][1]]]

    nested = [ok(1), [bad(), {"a": ok(2)}]]
    assert make_scheduler().run(catch_all(nested, ValueError, mark)) == [
        1,
        ["ValueError", {"a": 2}],
    ]


def test_cond_runs_only_the_chosen_branch(make_scheduler, calls):
    @task()
    def is_even(x: int):
        return x % 2 == 0

    @task()
    def branch(name: str):
        calls.hit(name)
        return name

    @task()
    def main(x: int):
        return cond(is_even(x), branch("left"), branch("right"))

    @task()
    def chain(x: int):
        return cond(is_even(x), branch("a"), is_even(x + 1), branch("b"), branch("c"))

    assert make_scheduler().run(main(2)) == "left"
    assert make_scheduler().run(main(3)) == "right"
    assert calls == {"left": 1, "right": 1}
    assert make_scheduler().run(chain(3)) == "b"
    assert "c" not in calls


def test_apply_tags_records_tags(make_scheduler, db_path):
    @task()
    def value():
        return 42

    @task()
    def main():
        return apply_tags(value(), tags=[("kind", "answer")], execution_tags=[("env", "test")])

    assert make_scheduler().run(main()) == 42
    with sqlite3.connect(db_path) as conn:
        rows = set(conn.execute("SELECT entity_type, key FROM tag").fetchall())
    assert ("Value", "kind") in rows
    assert ("Execution", "env") in rows
