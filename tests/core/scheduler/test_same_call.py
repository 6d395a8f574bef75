"""What makes two calls "the same": a cache hit must return what a fresh run would.

A call's context is part of it (for CSE within a run and for the shallow cache across
runs), a cache entry follows the newest run of its call, and async tasks are replayed
only when nothing they awaited changed.
"""

from __future__ import annotations

import sqlite3

from redun import File, get_context, task

redun_namespace = "test_same_call"


def test_calls_under_different_contexts_are_different_calls(make_scheduler, calls):
    @task()
    def add(a: int, b: int, offset: int = get_context("offset", 0)):
        calls.hit("add")
        return a + b + offset

    @task()
    def foo():
        return add(1, 2)

    @task()
    def main():
        return foo() + foo.update_context(offset=1)()

    assert make_scheduler().run(main()) == 7
    assert calls["add"] == 2
    # And the cache keeps them apart across runs.
    assert make_scheduler().run(main()) == 7
    assert calls["add"] == 2


def test_a_shared_expression_follows_each_parents_context(make_scheduler):
    @task()
    def scaled(x: int, factor: int = get_context("factor", 1)):
        return x * factor

    shared = scaled(5)

    @task()
    def pick():
        return shared

    @task()
    def main():
        return [pick(), pick.update_context(factor=3)()]

    assert make_scheduler().run(main()) == [5, 15]


def test_context_defaults_through_operators_are_per_call(make_scheduler):
    @task()
    def leaf(ratio: float = get_context("tool", {"ratio": 1})["ratio"]):
        return ratio

    @task()
    def main():
        return [leaf(), leaf.update_context(tool={"ratio": 2})()]

    assert make_scheduler().run(main()) == [1, 2]


def test_shallow_cache_replays_only_a_call_under_the_same_context(make_scheduler, calls):
    @task(check_valid="shallow")
    def leaf(x: int, ratio: int = get_context("ratio", 1)):
        calls.hit("leaf")
        return x * ratio

    @task(check_valid="shallow")
    def mid(x: int):
        return leaf(x)

    assert make_scheduler().run(mid(10), context={"ratio": 2}) == 20
    assert make_scheduler().run(mid(10), context={"ratio": 3}) == 30
    assert make_scheduler().run(mid(10), context={"ratio": 2}) == 20
    assert calls["leaf"] == 2


def test_a_regenerated_output_is_what_the_cache_replays_next(make_scheduler, calls, tmp_path):
    out = tmp_path / "out.txt"

    @task()
    def make(path: str) -> File:
        calls.hit("make")
        out.write_text("hello")
        return File(path)

    @task()
    def main(path: str):
        return make(path)

    make_scheduler().run(main(str(out)))
    out.unlink()
    make_scheduler().run(main(str(out)))
    assert calls["make"] == 2
    # The cache now points at the regenerated file: no rerun, now or later.
    make_scheduler().run(main(str(out)))
    make_scheduler().run(main(str(out)))
    assert calls["make"] == 2


def test_an_async_task_reruns_when_an_awaited_task_changed(make_scheduler, calls):
    def define(step: int):
        if step == 1:

            @task(name="inc")
            def inc(x: int):
                calls.hit("inc")
                return x + 1

        else:

            @task(name="inc")
            def inc(x: int):
                calls.hit("inc")
                return x + 2

        @task(name="awaiting", cache=True, check_valid="shallow")
        async def awaiting(x: int):
            return (await inc(x)) + 10

        @task(name="main")
        def main(x: int = 1):
            return awaiting(x)

        return main

    assert make_scheduler().run(define(1)()) == 12
    assert make_scheduler().run(define(2)()) == 13
    assert calls["inc"] == 2
    assert make_scheduler().run(define(2)()) == 13
    assert calls["inc"] == 2


def test_a_root_without_provenance_records_no_execution(make_scheduler, db_path):
    @task()
    def inc(x: int):
        return x + 1

    @task(prov=False)
    def main(x: int = 1):
        return inc(x)

    assert make_scheduler().run(main()) == 2
    with sqlite3.connect(db_path) as conn:
        counts = [
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("execution", "job", "call_node")
        ]
    assert counts == [0, 0, 0]


def test_calls_without_provenance_are_never_shared(make_scheduler, calls):
    """prov=False (inherited by every call below) turns off CSE too, as upstream: the
    same call made twice runs twice."""

    @task()
    def add(a: int, b: int):
        calls.hit("add")
        return a + b

    @task()
    def wrapped(x: int):
        return add(1, 2)

    @task(prov=False)
    def main():
        return add(1, 2) + wrapped(2)

    assert make_scheduler().run(main()) == 6
    assert calls["add"] == 2


def test_a_shared_call_keeps_every_call_sites_edge_in_the_job_tree(make_scheduler, calls, db_path):
    # Two parents make the same call: it runs once, but lineage reads as upstream's
    # (one job per call site): each parent job has its own child job for it, and each
    # parent's call node has an edge to the one shared call node.
    @task()
    def add(a: int, b: int) -> int:
        calls.hit("add")
        return a + b

    @task()
    def left() -> int:
        return add(1, 2)

    @task()
    def right() -> int:
        return add(1, 2)

    @task()
    def main() -> list:
        return [left(), right()]

    assert make_scheduler().run(main()) == [3, 3]
    assert calls["add"] == 1
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute(
            "SELECT parent.task_hash, child.cached, child.call_hash FROM job AS child "
            "JOIN job AS parent ON parent.id = child.parent_id "
            "JOIN task ON task.hash = child.task_hash WHERE task.name = 'add'"
        ).fetchall()
        parents = {
            task_hash: name
            for task_hash, name in conn.execute("SELECT hash, name FROM task").fetchall()
        }
        edges = conn.execute(
            "SELECT parent.task_name FROM call_edge "
            "JOIN call_node AS parent ON parent.call_hash = call_edge.parent_id "
            "JOIN call_node AS child ON child.call_hash = call_edge.child_id "
            "WHERE child.task_name LIKE '%add'"
        ).fetchall()
    assert sorted(parents[parent] for parent, _, _ in rows) == ["left", "right"]
    assert sorted(cached for _, cached, _ in rows) == [0, 1]
    assert len({call_hash for _, _, call_hash in rows}) == 1
    assert sorted(name.rsplit(".", 1)[-1] for (name,) in edges) == ["left", "right"]
