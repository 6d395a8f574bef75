"""A run changes the interpreter only while it lasts: the current scheduler, the
recursion limit and the garbage collector's threshold are given back afterwards, when
the workflow succeeds and when it fails."""

from __future__ import annotations

import gc
import sys

import pytest
from redun import task
from redun.current import get_current_scheduler, set_current_scheduler

redun_namespace = "test_run_scope"


@task()
def seen_inside() -> list:
    return [
        sys.getrecursionlimit() >= 100_000,
        gc.get_threshold()[0] >= 10_000,
    ]


@task()
def fails() -> int:
    raise ValueError("the workflow failed")


@pytest.fixture
def interpreter_state():
    """Ordinary settings a program might have, restored after the test."""
    saved = (get_current_scheduler(required=False), sys.getrecursionlimit(), gc.get_threshold())
    set_current_scheduler(None)
    sys.setrecursionlimit(1500)
    gc.set_threshold(700, 10, 10)
    yield
    set_current_scheduler(saved[0])
    sys.setrecursionlimit(saved[1])
    gc.set_threshold(*saved[2])


def test_a_run_raises_the_limits_while_it_lasts_and_gives_them_back(
    make_scheduler, interpreter_state
):
    scheduler = make_scheduler()
    assert scheduler.run(seen_inside()) == [True, True]
    assert get_current_scheduler(required=False) is None
    assert sys.getrecursionlimit() == 1500
    assert gc.get_threshold() == (700, 10, 10)


def test_a_failed_run_gives_the_interpreter_back_too(make_scheduler, interpreter_state):
    scheduler = make_scheduler()
    with pytest.raises(ValueError, match="the workflow failed"):
        scheduler.run(fails())
    assert get_current_scheduler(required=False) is None
    assert sys.getrecursionlimit() == 1500
    assert gc.get_threshold() == (700, 10, 10)
