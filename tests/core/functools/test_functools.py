"""``redun.functools``: each helper through a real scheduler, and upstream task hashes."""

from __future__ import annotations

import threading
import time

import pytest
from redun import task
from redun.functools import (
    apply_func,
    as_task,
    compose,
    compose_apply,
    const,
    delay,
    eval_,
    flat_map,
    flatten,
    force,
    identity,
    map_,
    seq,
    starmap,
    zip_,
)

redun_namespace = "test_functools"


@task()
def inc(x: int) -> int:
    return x + 1


@task()
def double(x: int) -> int:
    return 2 * x


@task()
def items(n: int) -> list[int]:
    return list(range(n))


@task()
def add(a: int, b: int = 0) -> int:
    return a + b


@task()
def pair(x: int) -> list[int]:
    return [x, x]


def test_map_over_a_concrete_list(scheduler):
    assert scheduler.run(map_(inc, [1, 2, 3])) == [2, 3, 4]


def test_map_over_a_list_known_only_at_run_time(scheduler):
    assert scheduler.run(map_(inc, items(4))) == [1, 2, 3, 4]


def test_map_of_an_empty_list(scheduler):
    assert scheduler.run(map_(inc, items(0))) == []


def test_nested_maps_compose(scheduler):
    assert scheduler.run(map_(double, map_(inc, items(3)))) == [2, 4, 6]


def test_map_with_a_partial_task(scheduler):
    assert scheduler.run(map_(add.partial(b=10), [1, 2])) == [11, 12]


def test_map_over_a_non_list_is_a_one_line_type_error_naming_the_job(scheduler):
    @task()
    def caller():
        return map_(inc, inc(1))

    with pytest.raises(TypeError) as info:
        scheduler.run(caller())
    message = str(info.value)
    assert message.startswith("map_(test_functools.inc, ...) in job ")
    assert "(test_functools.caller) needs a list of values, got int: 2" in message
    assert "\n" not in message


def test_map_over_a_string_is_rejected(scheduler):
    with pytest.raises(TypeError, match="needs a list of values, got str"):
        scheduler.run(map_(inc, "abc"))


def test_starmap_calls_with_keyword_arguments(scheduler):
    assert scheduler.run(starmap(add, [{"a": 1, "b": 2}, {"a": 5}])) == [3, 5]


def test_flatten_and_flat_map(scheduler):
    assert scheduler.run(flatten([[1], [], [2, 3]])) == [1, 2, 3]
    assert scheduler.run(flat_map(pair, items(3))) == [0, 0, 1, 1, 2, 2]


def test_zip_over_lazy_lists(scheduler):
    assert scheduler.run(zip_(items(3), map_(inc, items(3)))) == [(0, 1), (1, 2), (2, 3)]


def test_compose_applies_right_to_left(scheduler):
    assert scheduler.run(compose(double, inc)(3)) == 8  # double(inc(3))
    assert scheduler.run(compose_apply([inc, double], 3)) == 7  # inc(double(3))


def test_identity_and_const(scheduler):
    assert scheduler.run(identity(inc(1))) == 2
    assert scheduler.run(const(1, inc(5))) == 1


def test_delay_does_not_evaluate_until_forced(scheduler):
    ran = []

    @task()
    def side_effect() -> str:
        ran.append(1)
        return "done"

    @task()
    def ignore(delayed) -> str:
        return "ignored"

    assert scheduler.run(ignore(delay(side_effect()))) == "ignored"
    assert ran == []

    @task()
    def use(delayed):
        return force(delayed)

    assert scheduler.run(use(delay(side_effect()))) == "done"
    assert ran == [1]


def test_apply_func_and_as_task(scheduler):
    assert scheduler.run(apply_func(len, items(5))) == 5
    assert scheduler.run(as_task(max)(inc(1), 7, inc(2))) == 7


def test_eval_with_keyword_and_positional_variables(scheduler):
    assert scheduler.run(eval_("[x * 10 for x in xs]", xs=items(3))) == [0, 10, 20]
    assert scheduler.run(eval_("a - b", 7, inc(1), pos_args=["a", "b"])) == 5


def test_eval_with_the_wrong_number_of_positional_arguments(scheduler):
    with pytest.raises(TypeError, match="got 1 positional arguments but pos_args names 2"):
        scheduler.run(eval_("a", 1, pos_args=["a", "b"]))


def test_seq_runs_one_after_another(scheduler):
    running = []
    overlap = []
    lock = threading.Lock()

    @task(cache=False)
    def step(i: int) -> int:
        with lock:
            running.append(i)
            if len(running) > 1:
                overlap.append(list(running))
        time.sleep(0.02)
        with lock:
            running.remove(i)
        return i

    assert scheduler.run(seq([step(1), step(2), step(3)])) == [1, 2, 3]
    assert overlap == []
    assert scheduler.run(seq([])) == []


def test_tasks_are_in_namespace_redun_with_upstream_hashes():
    from redun.functools import map_, seq

    expected = {
        map_: "81b0901c9aa9761d493946001cbf9fccc84b562a",
        seq: "e6dd54f334c8ea3c3e4fb80b070b20c920bcbc9c",
        flatten: "a48a701bf39ecbad3d9cf1173b551b2eb8301fbe",
        flat_map: "95754f11718368bb6bb349efd5cca7fe7d19b2ff",
        zip_: "3dfd9dc5a5829ace206bec05373fd62354371e95",
        identity: "0a658d07be77eef20f7aafbcae3805c39de2ea6e",
        const: "b25f8cf2ebf92482c52ea685fa2ccc20868b651e",
        compose_apply: "cc405a5af92dd1804e304c143c31f1a4764c1269",
        apply_func: "57835c18bfaf2350ae50743805f0de90b5f395a5",
        eval_: "a1090c7cd56d26024fcafe1a3d41c5986993a850",
    }
    for a_task, task_hash in expected.items():
        assert a_task.namespace == "redun"
        assert a_task.version == "1"
        assert (a_task.fullname, a_task.hash) == (a_task.fullname, task_hash)
