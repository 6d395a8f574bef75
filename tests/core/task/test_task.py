"""The Task value (redun/task/task.py and decorator.py): names, hashes, options and
the checks a task definition must pass."""

from __future__ import annotations

import pytest
from redun import Scheduler, task
from redun.task_registry import get_task_registry

redun_namespace = "test_task"


@task()
def double(x: int) -> int:
    return 2 * x


@task(version="1")
def versioned(x: int) -> int:
    return x


@task(name="renamed", namespace="elsewhere", executor="default", memory=2)
def configured(x: int) -> int:
    return x


@task()
def pair(x: int) -> tuple[int, int]:
    return x, x


def test_a_task_is_named_by_its_namespace_and_registered() -> None:
    assert double.fullname == "test_task.double"
    assert configured.fullname == "elsewhere.renamed"
    assert get_task_registry().get("elsewhere.renamed") is configured
    assert repr(double).startswith("Task(fullname=test_task.double, hash=")


def test_the_hash_follows_the_source_unless_a_version_pins_it() -> None:
    def make(body: str, version: str | None = None):
        namespace: dict = {"task": task}
        source = f"def step(x):\n    return {body}\n"
        exec(source, namespace)
        return task(namespace="test_task_src", version=version, source=source)(namespace["step"])

    assert make("x + 1").hash == make("x + 1").hash
    assert make("x + 1").hash != make("x + 2").hash
    assert make("x + 1", version="1").hash == make("x + 2", version="1").hash
    assert make("x + 1", version="1").hash != make("x + 1", version="2").hash


def test_decorator_options_are_not_hashed_call_options_are() -> None:
    plain = task(namespace="test_task_opts", name="same", version="1")(lambda x: x)
    tuned = task(namespace="test_task_opts", name="same", version="1", memory=64)(lambda x: x)

    assert plain.hash == tuned.hash
    assert tuned.get_task_option("memory") == 64 and plain.get_task_option("memory", 1) == 1
    assert plain.options(memory=8).hash != plain.hash
    assert plain.options(memory=8).get_task_options() == {"memory": 8}


def test_options_and_partial_make_new_tasks_and_leave_the_original_alone() -> None:
    quick = configured.options(memory=1)
    assert (quick.get_task_option("memory"), configured.get_task_option("memory")) == (1, 2)
    scheduler = Scheduler()
    assert scheduler.run(double.partial(x=21)()) == 42
    assert scheduler.run(quick(5)) == 5


def test_nout_comes_from_the_option_or_the_return_annotation() -> None:
    assert pair.nout == 2
    assert double.nout is None
    assert task(nout=3, name="triple", namespace="test_task")(lambda: (1, 2, 3)).nout == 3


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: task(name="bad-name")(lambda: 1), "Task name must use only alphanumeric"),
        (lambda: task(namespace=".dotted", name="ok")(lambda: 1), "may not start with a dot"),
        (lambda: task(name="n", nout=-1)(lambda: 1), "nout must be non-negative"),
        (lambda: task(name="n", nout="2")(lambda: 1), "nout must be an int"),
        (lambda: task(name="n", config_args=["y"])(lambda x: x), "Invalid config args: y"),
    ],
)
def test_a_bad_definition_is_refused_with_what_is_wrong(make, message: str) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        make()


def test_an_async_task_must_say_how_it_caches() -> None:
    async def fetch() -> int:
        return 1

    with pytest.raises(ValueError, match="must set its cache option explicitly"):
        task(namespace="test_task", name="fetch")(fetch)
    assert task(namespace="test_task", name="fetch_ok", cache=False)(fetch).is_async()
