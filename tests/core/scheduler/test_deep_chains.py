"""Long chains of lazy calls: recorded dataflow and cost grow linearly with their length."""

from __future__ import annotations

import sqlite3

from redun import task

redun_namespace = "test_deep_chains"


@task()
def inc(x: int) -> int:
    return x + 1


@task()
def pair(x: int) -> dict:
    return {"a": x, "b": x + 1}


@task()
def add(a: int, b: int) -> int:
    return a + b


@task()
def chain(n: int):
    x = 0
    for _ in range(n):
        x = inc(x)
    return x


@task()
def through_operators():
    p = pair(inc(0))
    return add(p["a"], inc(p["b"]) + 1)


def _links(db_path) -> list[tuple]:
    """(task of the call, argument position, task of the call the argument came from,
    argument value == that call's result)."""
    with sqlite3.connect(db_path) as conn:
        return conn.execute(
            "SELECT cn.task_name, a.arg_position, up.task_name, a.value_hash = up.value_hash "
            "FROM argument_result ar JOIN argument a ON a.arg_hash = ar.arg_hash "
            "JOIN call_node cn ON cn.call_hash = a.call_hash "
            "JOIN call_node up ON up.call_hash = ar.result_call_hash"
        ).fetchall()


def test_an_argument_links_only_to_the_call_that_produced_it(make_scheduler, db_path):
    assert make_scheduler().run(chain(50)) == 50
    links = _links(db_path)
    # One link per inc fed by the previous inc, not one per call upstream of it.
    assert len(links) == 49
    assert set(links) == {("test_deep_chains.inc", 0, "test_deep_chains.inc", 1)}


def test_operators_and_item_access_are_looked_through(make_scheduler, db_path):
    assert make_scheduler().run(through_operators()) == 5
    assert sorted(_links(db_path)) == [
        ("test_deep_chains.add", 0, "test_deep_chains.pair", 0),
        ("test_deep_chains.add", 1, "test_deep_chains.inc", 0),
        ("test_deep_chains.inc", 0, "test_deep_chains.pair", 0),
        ("test_deep_chains.pair", 0, "test_deep_chains.inc", 1),
    ]


def test_a_chain_ten_thousand_calls_deep_runs_and_replays(make_scheduler, calls, db_path):
    # Deeper than the C stack allowed pickling the recorded chain (a segfault at ~8,000).
    n = 10_000
    assert make_scheduler().run(chain(n)) == n
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM argument_result").fetchone()[0] == n - 1
        assert conn.execute("SELECT count(*) FROM job WHERE end_time IS NULL").fetchone()[0] == 0
    # The cached rerun loads the recorded chain and replays every call from the cache.
    scheduler = make_scheduler()
    assert scheduler.run(chain(n)) == n
    assert scheduler.execution.job.was_cached


@task()
def build(n: int, after: int = 0):
    """A chain of n calls (``after`` orders a second copy behind the first)."""
    x = 0
    for _ in range(n):
        x = inc(x)
    return x


def test_a_second_copy_of_a_finished_chain_unfolds_without_recursion(scheduler):
    # Every call of the second copy is a CSE hit on a finished call of the first.
    n = 15_000
    assert scheduler.run(build(n, after=build(n))) == n
