"""Caching across executions (backend) and within one (CSE)."""

from __future__ import annotations

import threading
import time

from redun import File, task
from redun.scheduler.evaluation import contains_expression

redun_namespace = "test_caching"


def test_second_run_is_fully_cached(make_scheduler, calls, job_rows):
    @task()
    def get_planet():
        calls.hit("get_planet")
        return "World"

    @task()
    def greeter(greet: str, thing: str):
        calls.hit("greeter")
        return f"{greet}, {thing}!"

    @task()
    def main(greet: str = "Hello"):
        calls.hit("main")
        return greeter(greet, get_planet())

    assert make_scheduler().run(main()) == "Hello, World!"
    assert make_scheduler().run(main()) == "Hello, World!"
    assert calls == {"get_planet": 1, "greeter": 1, "main": 1}
    rows = job_rows()
    assert len(rows) == 6
    assert sorted(cached for _, _, cached, _, _ in rows) == [0, 0, 0, 1, 1, 1]

    assert make_scheduler().run(main("Hi")) == "Hi, World!"
    assert calls == {"get_planet": 1, "greeter": 2, "main": 2}


def test_defaults_share_the_cache_key_with_explicit_values(make_scheduler, calls):
    @task()
    def add(a: int, b: int = 2):
        calls.hit("add")
        return a + b

    scheduler = make_scheduler()
    assert scheduler.run(add(1)) == 3
    assert scheduler.run(add(1, b=2)) == 3
    assert calls["add"] == 1


def test_cse_runs_an_in_flight_job_once(make_scheduler, calls):
    gate = threading.Event()

    @task()
    def add(a: int, b: int):
        return a + b

    @task(cache=False)
    def expensive(x: int):
        calls.hit("expensive")
        gate.wait(2)
        return x * 10

    @task()
    def main():
        return [expensive(add(1, 3)), expensive(add(2, 2))]

    threading.Timer(0.2, gate.set).start()
    assert make_scheduler().run(main()) == [40, 40]
    assert calls["expensive"] == 1


def test_cache_scope_none_disables_cse(make_scheduler, calls):
    @task()
    def one() -> int:
        return 1

    @task(cache_scope="NONE")
    def noisy(x: int):
        calls.hit("noisy")
        return x

    @task()
    def main():
        # Two calls with equal arguments from different expressions: no CSE.
        return [noisy(1), noisy(one())]

    assert make_scheduler().run(main()) == [1, 1]
    assert calls["noisy"] == 2


def test_equal_expressions_share_one_job_whatever_the_cache_settings(make_scheduler, calls):
    """As upstream redun: equal task expressions under one parent are evaluated once
    (one job), even with caching and CSE off."""

    @task(cache_scope="NONE", cache=False)
    def noisy(x: int):
        calls.hit("noisy")
        return x

    @task()
    def main():
        return [noisy(1), noisy(1)]

    scheduler = make_scheduler()
    assert scheduler.run(main()) == [1, 1]
    assert calls["noisy"] == 1
    from redun.backends.db import Job as JobDb

    jobs = scheduler.backend.session.query(JobDb).filter(JobDb.task_hash == noisy.hash).all()
    assert [job.cached for job in jobs] == [False]


def test_cache_false_reruns_every_execution_but_still_writes(make_scheduler, calls):
    @task(cache=False)
    def uncached(x: int):
        calls.hit("uncached")
        return x + 1

    @task()
    def cached(x: int):
        calls.hit("cached")
        return x + 1

    make_scheduler().run(uncached(1))
    make_scheduler().run(uncached(1))
    assert calls["uncached"] == 2

    # --no-cache re-runs everything, and a later normal run is served from what it wrote.
    make_scheduler().run(cached(5), cache=False)
    make_scheduler().run(cached(5), cache=False)
    assert calls["cached"] == 2
    make_scheduler().run(cached(5))
    assert calls["cached"] == 2


def test_version_bump_reruns_through_a_cached_parent(make_scheduler, calls):
    def define(step1_add: int, version: str):
        @task(name="step1", version=version)
        def step1(x: int):
            calls.hit("step1")
            return x + step1_add

        @task(name="step2", version="1")
        def step2(x: int):
            calls.hit("step2")
            return x * 2

        @task(name="pipeline", version="1")
        def pipeline(x: int):
            calls.hit("pipeline")
            return step2(step1(x))

        return pipeline

    assert make_scheduler().run(define(1, "1")(10)) == 22
    # Same version, different body: a versioned task is not re-hashed by its source.
    assert make_scheduler().run(define(5, "1")(10)) == 22
    assert calls == {"step1": 1, "step2": 1, "pipeline": 1}
    assert make_scheduler().run(define(2, "2")(10)) == 24
    # pipeline is replayed from the single-reduction cache; its children re-run.
    assert calls == {"step1": 2, "step2": 2, "pipeline": 1}


def test_hash_includes_change_reruns(make_scheduler, calls):
    def define(constant: int):
        @task(name="uses_constant", hash_includes=[constant])
        def uses_constant():
            calls.hit("uses_constant")
            return constant

        return uses_constant

    make_scheduler().run(define(1)())
    make_scheduler().run(define(1)())
    assert calls["uses_constant"] == 1
    assert make_scheduler().run(define(2)()) == 2
    assert calls["uses_constant"] == 2


def test_errors_are_not_replayed_from_the_cache(make_scheduler, calls, job_rows):
    @task()
    def ok():
        calls.hit("ok")
        return 1

    @task()
    def boom():
        calls.hit("boom")
        raise ValueError("boom")

    @task()
    def main():
        return [ok(), boom()]

    for _ in range(2):
        try:
            make_scheduler().run(main())
        except ValueError as error:
            assert str(error) == "boom"
        else:
            raise AssertionError("expected ValueError")
    assert calls["boom"] == 2
    assert calls["ok"] == 1
    failed = [name for _, name, _, _, vtype in job_rows() if vtype == "redun.ErrorValue"]
    assert sorted(failed) == sorted(["test_caching.boom", "test_caching.main"] * 2)


def test_shallow_check_valid_is_one_lookup(make_scheduler, calls):
    @task()
    def leaf(i: int):
        calls.hit("leaf")
        return i

    @task(check_valid="shallow")
    def process_all(n: int):
        calls.hit("process_all")
        return [leaf(i) for i in range(n)]

    assert make_scheduler().run(process_all(5)) == [0, 1, 2, 3, 4]
    start = time.time()
    assert make_scheduler().run(process_all(5)) == [0, 1, 2, 3, 4]
    assert time.time() - start < 5
    assert calls == {"process_all": 1, "leaf": 5}


def test_contains_expression_sees_nested_calls():
    @task()
    def one():
        return 1

    assert contains_expression({"a": [1, (2, one())]})
    assert not contains_expression({"a": [1, (2, 3)]})


@task(namespace="miss_line_test")
def _write_output(path: str) -> File:
    out = File(path)
    out.write("data")
    return out


def test_an_invalid_cached_result_is_announced_as_a_miss(make_scheduler, tmp_path, caplog):
    path = str(tmp_path / "out.txt")
    make_scheduler().run(_write_output(path))
    File(path).remove()
    with caplog.at_level("INFO", logger="redun"):
        result = make_scheduler().run(_write_output(path))
    assert result.read() == "data"
    misses = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Miss   Job")]
    assert len(misses) == 1
    assert "Cached result is no longer valid (result=File(path=" in misses[0]


def test_a_fan_out_wider_than_one_lookup_batch_is_fully_cached(
    make_scheduler, calls, job_rows, monkeypatch
):
    # Cache lookups go in bounded batches (so a 100,000-job rerun does not hold every
    # row at once); the jobs beyond the first batch must be looked up all the same.
    import redun.scheduler.caching as caching

    monkeypatch.setattr(caching, "LOOKUP_BATCH", 7)

    @task()
    def square(i: int) -> int:
        calls.hit("square")
        return i * i

    @task()
    def main(n: int) -> list:
        return [square(i) for i in range(n)]

    expected = [i * i for i in range(40)]
    assert make_scheduler().run(main(40)) == expected
    assert make_scheduler().run(main(40)) == expected
    assert calls["square"] == 40
    cached = [row[2] for row in job_rows()]
    assert cached.count(1) == 41 and cached.count(0) == 41
