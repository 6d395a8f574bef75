"""Graph reduction: nested values, lazy operators, nout, root wrapping, limits, dry runs."""

from __future__ import annotations

import dataclasses
import threading
import time
from typing import NamedTuple

import pytest
from redun import task
from redun.scheduler import DryRunResult

redun_namespace = "test_evaluation"


class Pair(NamedTuple):
    left: int
    right: int


@dataclasses.dataclass
class Box:
    value: int
    label: str = "box"
    derived: int = dataclasses.field(default=0, init=False)


@task()
def inc(x: int) -> int:
    return x + 1


@task()
def slow(x: int) -> int:
    time.sleep(0.3)
    return x


@task()
def adder(values: list) -> int:
    assert all(isinstance(v, int) for v in values)
    return sum(values)


def test_nested_containers_are_evaluated_and_keep_their_types(make_scheduler):
    @task()
    def main():
        return {
            "list": [slow(i) for i in range(8)],
            "tuple": (inc(1), 2),
            "pair": Pair(inc(0), inc(1)),
            "box": Box(inc(2), label="b"),
            "set": {inc(3)},
            "sum": adder([inc(i) for i in range(3)]),
        }

    start = time.time()
    result = make_scheduler().run(main())
    assert time.time() - start < 2.0, "the 8 slow calls must run in parallel"
    assert result["list"] == list(range(8))
    assert result["tuple"] == (2, 2)
    assert isinstance(result["pair"], Pair) and result["pair"] == Pair(1, 2)
    assert isinstance(result["box"], Box) and result["box"].value == 3
    assert result["box"].label == "b"
    assert result["set"] == {4}
    assert result["sum"] == 6


def test_lazy_operators(make_scheduler):
    @task()
    def make_dict():
        return {"k": 5}

    @task()
    def make_pair():
        return Pair(3, 4)

    @task()
    def show(*values):
        return list(values)

    @task()
    def main():
        return show(
            make_dict()["k"],
            make_pair().right,
            inc(1) + 1,
            1 + inc(1),
            inc(1) * inc(2),
            inc(9) / 2,
            inc(1) == 2,
            inc(1) < 1,
            inc(1) - 1,
            10 - inc(1),
        )

    assert make_scheduler().run(main()) == [5, 4, 3, 3, 6, 5.0, True, False, 1, 8]


def test_nout_and_fixed_tuple_annotations_allow_iteration(make_scheduler):
    @task(nout=2)
    def pair():
        return (1, 2)

    @task()
    def annotated() -> tuple[int, int, int]:
        return (1, 2, 3)

    @task()
    def main():
        a, b = pair()
        return [inc(a), inc(b), [x for x in annotated()]]

    assert make_scheduler().run(main()) == [2, 3, [1, 2, 3]]


def test_misuse_raises_type_error():
    @task()
    def unknown_length():
        return [1, 2]

    with pytest.raises(TypeError):
        bool(inc(1))
    with pytest.raises(TypeError):
        iter(unknown_length())


def test_non_task_root_expressions_are_wrapped(make_scheduler):
    assert make_scheduler().run([inc(1), inc(2)]) == [2, 3]
    assert make_scheduler().run(inc(inc(1))) == 3
    assert make_scheduler().run(inc(1) + 10) == 12


def test_limits_cap_concurrency(make_scheduler):
    running = 0
    peak = 0
    lock = threading.Lock()

    @task(limits=["db"])
    def uses_db(i: int):
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return i

    @task()
    def main():
        return [uses_db(i) for i in range(10)]

    assert make_scheduler(limits={"db": "2"}).run(main()) == list(range(10))
    assert peak == 2


def test_scheduler_shows_its_limits_and_the_units_in_use(make_scheduler):
    seen_in_use = []

    @task(limits={"db": 2})
    def uses_db():
        seen_in_use.append(dict(scheduler.limits_used))
        return 1

    scheduler = make_scheduler(limits={"db": "3", "api": "1"})
    # Capacities read as integers, like upstream's plain dict.
    assert scheduler.limits == {"db": 3, "api": 1}
    assert scheduler.run(uses_db()) == 1
    assert seen_in_use == [{"db": 2}]
    assert scheduler.limits_used == {"db": 0}


def test_dryrun_runs_nothing_new_and_returns_cached_results(make_scheduler, calls):
    @task()
    def step(x: int):
        calls.hit("step")
        return x * 2

    @task()
    def main(n: int):
        return [step(i) for i in range(n)]

    make_scheduler().run(main(2))
    with pytest.raises(DryRunResult):
        make_scheduler().run(main(3), dryrun=True)
    assert calls["step"] == 2
    assert make_scheduler().run(main(2), dryrun=True) == [0, 2]


def test_original_exception_type_is_raised(make_scheduler):
    class CustomError(Exception):
        pass

    @task()
    def fails():
        raise CustomError("bad input")

    @task()
    def main():
        return inc(fails())

    with pytest.raises(CustomError, match="bad input"):
        make_scheduler().run(main())


def test_call_time_options_override_decorator_options(make_scheduler):
    seen = {}

    @task(memory=6)
    def sized():
        return 1

    class Recording:
        name = "default"

        def __init__(self):
            self.scheduler = None

        def start(self):
            pass

        def stop(self):
            pass

        def supports_async(self):
            return False

        def submit(self, job):
            seen[job.task_name] = job.get_option("memory")
            self.scheduler.done_job(job, job.task.func(*job.args, **job.kwargs))

    scheduler = make_scheduler()
    scheduler.add_executor(Recording(), name="default")
    scheduler.run(sized.options(memory=8)(), cache=False)
    assert seen["test_evaluation.sized"] == 8
    scheduler.run(sized(), cache=False)
    assert seen["test_evaluation.sized"] == 6


def test_recursion_is_linear_thanks_to_cse(make_scheduler, job_rows):
    @task()
    def add(a: int, b: int):
        return a + b

    @task()
    def fib(n: int):
        if n < 2:
            return n
        return add(fib(n - 1), fib(n - 2))

    assert make_scheduler().run(fib(20)) == 6765
    assert len(job_rows()) < 200


def test_dryrun_explains_each_miss(make_scheduler, caplog):
    @task()
    def step(x: int):
        return x * 2

    @task()
    def main(n: int):
        return [step(i) for i in range(n)]

    make_scheduler().run(main(1))
    with caplog.at_level("INFO", logger="redun"), pytest.raises(DryRunResult):
        make_scheduler().run(main(2), dryrun=True)
    text = caplog.text
    assert "Existing task 'test_evaluation.main()' is called with new arguments" in text
    assert "Dryrun Job" in text


def test_a_root_call_with_an_expression_default_gets_a_root_job(make_scheduler, job_rows):
    @task()
    def offset():
        return 10

    @task()
    def shifted(a: int, b: int = offset()):
        return a + b

    assert make_scheduler().run(shifted(1)) == 11
    names = sorted(row[1] for row in job_rows())
    # The default's job and the call hang under one root job, as the call's arguments do.
    assert names == [
        "redun.root_task",
        "test_evaluation.offset",
        "test_evaluation.shifted",
    ]
