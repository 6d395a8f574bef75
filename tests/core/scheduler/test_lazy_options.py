"""Task options given as expressions are evaluated before the job is scheduled (upstream)."""

from __future__ import annotations

import threading

import pytest
from redun import get_context, task

redun_namespace = "lazy_options_test"
ran_on: dict[str, str] = {}


@task(executor=get_context("tool.executor", "default"), memory=get_context("tool.memory", 1))
def tool(x: int) -> str:
    ran_on[f"tool{x}"] = threading.current_thread().name
    return f"tool {x}"


@task()
def pick_executor(name: str) -> str:
    return name


@task()
def plain(x: int) -> int:
    return x + 1


@task()
def by_expression(x: int) -> int:
    return plain.options(executor=pick_executor("second"))(x)


@task()
def main_with_context() -> list:
    return [tool(1), tool.update_context({"tool": {"executor": "second"}})(2)]


@pytest.fixture
def scheduler_two(make_scheduler):
    return make_scheduler(
        **{"executors.second": {"type": "local", "max_workers": "2"}},
        scheduler={"context": '{"tool": {"memory": 4}}'},
    )


def test_get_context_option_picks_the_executor(make_scheduler, caplog):
    scheduler = make_scheduler(
        **{"executors.second": {"type": "local", "max_workers": "2"}},
        scheduler={"context": '{"tool": {"executor": "second"}}'},
    )
    with caplog.at_level("INFO", logger="redun"):
        assert scheduler.run(tool(1)) == "tool 1"
    lines = [r.getMessage() for r in caplog.records if "Run    Job" in r.getMessage()]
    assert any("tool(x=1)" in line and line.endswith(" on second") for line in lines), lines


def test_get_context_option_default_and_parent_context(scheduler_two, caplog):
    # As upstream: options are evaluated in the caller's context, so the call's own
    # update_context does not change where it runs; the default applies.
    with caplog.at_level("INFO", logger="redun"):
        assert scheduler_two.run(main_with_context()) == ["tool 1", "tool 2"]
    lines = [r.getMessage() for r in caplog.records if "Run    Job" in r.getMessage()]
    assert sum(".tool(x=" in line and line.endswith(" on default") for line in lines) == 2


def test_option_from_a_task_call_is_evaluated_first(scheduler_two, caplog):
    with caplog.at_level("INFO", logger="redun"):
        assert scheduler_two.run(by_expression(1)) == 2
    lines = [r.getMessage() for r in caplog.records if "Run    Job" in r.getMessage()]
    assert any("plain(x=1)" in line and line.endswith(" on second") for line in lines), lines


def test_an_option_that_fails_to_evaluate_fails_the_job(scheduler_two):
    @task(name="broken_option", executor=get_context("tool.executor", "nowhere"))
    def broken() -> int:
        return 1

    with pytest.raises(Exception, match="nowhere"):
        scheduler_two.run(broken())
