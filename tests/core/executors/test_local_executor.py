"""LocalExecutor in thread mode: jobs run in a pool and report back to the scheduler."""

from __future__ import annotations

import threading
import types

import pytest
from redun.errors import ConfigError, ExecutorError
from redun.executors.local import LocalExecutor


@pytest.fixture
def executor(scheduler):
    executor = LocalExecutor("default", scheduler=scheduler)
    executor.start()
    yield executor
    executor.stop()


def add(a: int, b: int = 0) -> int:
    return a + b


def fail(message: str) -> None:
    raise ValueError(message)


def test_a_job_runs_in_a_worker_thread_and_reports_done(executor, scheduler, make_job) -> None:
    thread_names = []

    def work(a: int, b: int) -> int:
        thread_names.append(threading.current_thread().name)
        return a * b

    job = make_job(work, 6, b=7)
    executor.submit(job)

    assert scheduler.next_event() == ("done", job, 42, None)
    assert thread_names[0].startswith("redun-default")


def test_a_failing_job_is_rejected_with_its_traceback(executor, scheduler, make_job) -> None:
    job = make_job(fail, "boom")
    executor.submit(job)

    kind, reported_job, error, error_traceback = scheduler.next_event()
    assert (kind, reported_job) == ("reject", job)
    assert isinstance(error, ValueError) and str(error) == "boom"
    assert isinstance(error_traceback, types.TracebackType)


def test_async_tasks_run_to_completion(executor, scheduler, make_job) -> None:
    async def work(x: int) -> int:
        return x + 1

    assert executor.supports_async()
    job = make_job(work, 1)
    executor.submit(job)

    assert scheduler.next_event() == ("done", job, 2, None)


def test_many_jobs_run_concurrently(scheduler, make_job) -> None:
    executor = LocalExecutor("default", scheduler=scheduler, config={"max_workers": "3"})
    barrier = threading.Barrier(3, timeout=30)
    jobs = [make_job(barrier.wait) for _ in range(3)]
    try:
        for job in jobs:
            executor.submit(job)
        kinds = [scheduler.next_event()[0] for _ in jobs]
    finally:
        executor.stop()

    assert kinds == ["done", "done", "done"]


def test_an_unknown_task_mode_rejects_the_job(executor, scheduler, make_job) -> None:
    job = make_job(add, 1)
    job.options["mode"] = "cluster"
    executor.submit(job)

    kind, _, error, _ = scheduler.next_event()
    assert kind == "reject"
    assert isinstance(error, ExecutorError)
    assert str(error) == "unknown mode 'cluster' for task 'add': expected thread or process"


def test_stop_is_idempotent_and_waits_for_running_jobs(scheduler, make_job) -> None:
    executor = LocalExecutor("default", scheduler=scheduler)
    executor.submit(make_job(add, 1, 2))
    executor.stop()
    executor.stop()

    assert scheduler.events.qsize() == 1


def test_config_values_are_parsed() -> None:
    executor = LocalExecutor(
        "workers",
        config={"mode": "processes", "max_workers": "4", "start_method": "spawn", "scratch": "/s"},
    )

    assert executor.mode == "process"
    assert executor.max_workers == 4
    assert executor.start_method == "spawn"
    assert executor.scratch_root() == "/s"
    assert LocalExecutor("x").mode == "thread"
    assert LocalExecutor("x").start_method == "forkserver"
    assert LocalExecutor("process", mode="process").mode == "process"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            {"max_workers": "abc"},
            "invalid max_workers 'abc' in [executors.default]: expected an integer",
        ),
        (
            {"mode": "cluster"},
            "invalid mode 'cluster' in [executors.default]: expected thread or process",
        ),
        (
            {"start_method": "clone"},
            "invalid start_method 'clone' in [executors.default]: "
            "expected fork or spawn or forkserver",
        ),
    ],
)
def test_bad_config_values_are_config_errors(config, message) -> None:
    with pytest.raises(ConfigError) as info:
        LocalExecutor("default", config=config)

    assert str(info.value) == message
