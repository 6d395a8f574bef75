"""What happens around a failure: siblings are recorded, --keep-going, the summary."""

from __future__ import annotations

import logging
import time

import pytest
from redun import task

redun_namespace = "test_failures"


def _workflow(calls):
    @task()
    def slow_ok(x: int):
        time.sleep(0.4)
        calls.hit("slow_ok")
        return x

    @task()
    def later(x: int):
        calls.hit("later")
        return x + 1

    @task()
    def fails(name: str):
        raise ValueError(f"{name} failed")

    @task()
    def main():
        return [fails("first"), later(slow_ok(1))]

    @task()
    def two_failures():
        return [fails("a"), later(slow_ok(2)), fails("b")]

    return main, two_failures


def test_running_siblings_finish_and_are_cached_for_the_rerun(make_scheduler, calls):
    main, _ = _workflow(calls)
    with pytest.raises(ValueError, match="first failed"):
        make_scheduler().run(main())
    # slow_ok was already running: it finished and was recorded; later was never started.
    assert calls == {"slow_ok": 1}
    with pytest.raises(ValueError):
        make_scheduler().run(main())
    assert calls["slow_ok"] == 1


def test_keep_going_runs_independent_branches_to_completion(make_scheduler, calls, caplog):
    _, two_failures = _workflow(calls)
    scheduler = make_scheduler()
    scheduler.keep_going = True
    with caplog.at_level(logging.ERROR, logger="redun"), pytest.raises(ValueError):
        scheduler.run(two_failures())
    assert calls == {"slow_ok": 1, "later": 1}
    assert "2 jobs failed" in caplog.text
    assert "'a'" in caplog.text and "'b'" in caplog.text


@task()
def boom(x: int) -> int:
    raise ValueError(f"bad {x}")


@task()
def fine(x: int) -> int:
    return x


@task()
def fails_at_boom(n: int = 2) -> list:
    return [fine(n), boom(n)]


def test_failure_log_reads_as_upstream_prints_it(make_scheduler, caplog):
    """Every failing job gets a Reject line, the status table and duration come next,
    then the task traceback: each job's task definition with its arguments."""
    with caplog.at_level(logging.INFO, logger="redun"), pytest.raises(ValueError, match="bad 2"):
        make_scheduler().run(fails_at_boom())
    lines = [record.getMessage() for record in caplog.records]
    rejects = [line for line in lines if line.startswith("*** Reject Job")]
    assert [line.split(":  ")[1] for line in rejects] == [
        "test_failures.boom(x=2):",
        "test_failures.fails_at_boom(n=2):",
    ]
    table = lines.index(next(line for line in lines if line.startswith("| JOB STATUS")))
    duration = lines.index(next(line for line in lines if line.startswith("Execution duration")))
    failed = lines.index("*** Execution failed. Traceback (most recent task last):")
    assert max(lines.index(line) for line in rejects) < table < duration < failed
    boom_row = next(line for line in lines if line.startswith("| test_failures.boom "))
    assert boom_row.split()[1:] == ["test_failures.boom", "0", "0", "1", "0", "0", "1"]
    trace = lines[failed + 1 :]
    assert trace[0].endswith(f'{__file__}", line {_def_lineno("fails_at_boom")}, in fails_at_boom')
    assert trace[1:3] == ["    def fails_at_boom(n: int = 2) -> list:", "    n = 2"]
    assert trace[3].endswith(f'{__file__}", line {_def_lineno("boom")}, in boom')
    assert trace[4:6] == ["    def boom(x: int) -> int:", "    x = 2"]
    assert trace[-1] == "ValueError: bad 2"


def _def_lineno(name: str) -> int:
    with open(__file__) as source:
        for number, line in enumerate(source, 1):
            if line.startswith(f"def {name}("):
                return number
    raise AssertionError(name)


def test_dry_run_reports_the_table_then_that_more_would_run(make_scheduler, caplog):
    from redun.scheduler.errors import DryRunResult

    with caplog.at_level(logging.INFO, logger="redun"), pytest.raises(DryRunResult):
        make_scheduler().run(fine(41), dryrun=True)
    lines = [record.getMessage() for record in caplog.records]
    assert lines[-1] == "Dryrun: Additional jobs would run."
    assert any(line.startswith("Execution duration") for line in lines[-3:])
    assert any(line.startswith("| JOB STATUS") for line in lines)


@task(namespace="abandon_test")
def _after(x: int) -> int:
    return x + 1


@task(namespace="abandon_test")
def _boom() -> int:
    raise ValueError("boom")


@task(namespace="abandon_test")
def _main() -> int:
    return _after(_boom())


def test_a_job_whose_argument_failed_stays_pending_and_unrecorded(make_scheduler, job_rows, caplog):
    # As upstream: `_after` never started, so it is PENDING in the table, gets no
    # "Reject" line and no job row; the error reaches its caller.
    scheduler = make_scheduler()
    with caplog.at_level(logging.INFO, logger="redun"), pytest.raises(ValueError, match="boom"):
        scheduler.run(_main())
    text = caplog.text
    assert "Reject Job" in text and "abandon_test._after" not in text.split("| JOB STATUS")[0]
    table = [line for line in text.splitlines() if "abandon_test._after" in line]
    assert table and table[-1].split()[-6:] == ["1", "0", "0", "0", "0", "1"]
    assert {row[1] for row in job_rows()} == {"abandon_test._main", "abandon_test._boom"}


def test_an_unknown_executor_fails_the_job_with_a_scheduler_error(make_scheduler, job_rows):
    from redun.errors import ExecutorError, SchedulerError

    @task(executor="nowhere")
    def placed():
        return 1

    with pytest.raises(SchedulerError, match='Unknown executor "nowhere"') as raised:
        make_scheduler().run(placed())
    assert isinstance(raised.value, ExecutorError)
    # The failed job is recorded like any other failure.
    assert [row[1] for row in job_rows()] == ["test_failures.placed"]


def test_an_async_task_on_an_executor_without_async_support_fails(make_scheduler):
    from unittest.mock import patch

    from redun.errors import SchedulerError
    from redun.executors.local import LocalExecutor

    @task(cache=False)
    async def add(a: int, b: int):
        return a + b

    scheduler = make_scheduler()
    with (
        patch.object(LocalExecutor, "supports_async", return_value=False),
        pytest.raises(SchedulerError, match='Executor "default" does not support async'),
    ):
        scheduler.run(add(1, 2))
