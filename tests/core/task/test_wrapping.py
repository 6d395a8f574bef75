"""wraps_task: decorators that wrap a task in another task, as upstream documents."""

from __future__ import annotations

import inspect

from redun import Scheduler, Task, task
from redun.task import get_task_registry, wraps_task

redun_namespace = "wrapping_test"


def doubled():
    @wraps_task()
    def _doubled(inner: Task):
        def run(*args, **kwargs):
            return 2 * inner.func(*args, **kwargs)

        return run

    return _doubled


def times(k: int):
    @wraps_task(wrapper_hash_includes=[k])
    def _times(inner: Task):
        def run(*args, **kwargs):
            return k * inner.func(*args, **kwargs)

        return run

    return _times


@doubled()
@task()
def explicit(x: int) -> int:
    return 1 + x


@doubled()
def implicit(x: int) -> int:
    return 1 + x


@doubled()
@doubled()
def twice(x: int) -> int:
    return 1 + x


def test_wrapped_tasks_run_the_wrapper_around_the_hidden_task():
    scheduler = Scheduler()
    assert scheduler.run(explicit(1)) == 4
    assert scheduler.run(implicit(1)) == 4
    assert scheduler.run(twice(1)) == 8


def test_the_wrapped_task_hides_in_the_wrappers_namespace():
    names = {t.fullname for t in get_task_registry()}
    assert {
        "wrapping_test.explicit",
        "wrapping_test._doubled.explicit",
        "wrapping_test.twice",
        "wrapping_test._doubled.twice",
        "wrapping_test._doubled._doubled.twice",
    } <= names
    assert twice.wrapped_task.fullname == "wrapping_test._doubled.twice"
    assert twice.inner_task.fullname == "wrapping_test._doubled._doubled.twice"


def test_the_signature_is_the_innermost_tasks():
    assert list(twice.signature.parameters) == ["x"]
    assert str(inspect.signature(twice.func)) == "(*args, **kwargs)"


def test_wrapper_data_and_inner_code_are_part_of_the_hash():
    def make(k: int, body: str) -> Task:
        namespace: dict = {}
        exec(f"def inner(x):\n    return {body}\n", namespace)
        namespace["inner"].__module__ = __name__
        return times(k)(task(name=f"inner_{k}_{len(body)}", namespace="hashes")(namespace["inner"]))

    base = make(3, "x")
    assert Scheduler().run(base(2)) == 6
    assert make(4, "x").hash != base.hash
    assert make(3, "x + 0").hash != base.hash


def test_hashes_match_upstreams_recipe():
    # The hidden task keeps the hash it had under its original name (upstream does not
    # rehash on rename), and the wrapper hashes the hidden task as an included value.
    hidden = get_task_registry().get("wrapping_test._doubled.implicit")
    from redun.hashing import hash_struct

    original_fullname = "wrapping_test.implicit"
    assert hidden.hash == hash_struct(["Task", original_fullname, "source", hidden.source])
