"""LocalExecutor in process mode: jobs run in other processes that re-import the task's
module, even a workflow script loaded from a path that is not importable by name."""

from __future__ import annotations

import importlib.util
import os
import sys
import uuid

import pytest
from redun.executors.local import LocalExecutor

WORKFLOW = """
import os


class Point:
    def __init__(self, x):
        self.x = x


def work(x):
    return os.getpid(), x * 2


def make_point(x):
    return Point(x)


def apply(func, value):
    return os.getpid(), func(value)


def fail():
    raise KeyError("missing")


async def awork(x):
    return os.getpid(), x + 1
"""


@pytest.fixture(scope="module")
def workflow(tmp_path_factory):
    """A workflow script loaded by path, as ``redun run path.py`` does."""
    name = f"redun_test_workflow_{uuid.uuid4().hex[:8]}"
    path = tmp_path_factory.mktemp("scripts") / f"{name}.py"
    path.write_text(WORKFLOW)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[name]


@pytest.fixture
def executor(scheduler):
    executor = LocalExecutor("process", scheduler=scheduler, mode="process")
    yield executor
    executor.stop()


def test_a_job_runs_in_another_process(executor, scheduler, workflow, make_job) -> None:
    job = make_job(workflow.work, 21)
    executor.submit(job)

    kind, reported_job, (pid, value), _ = scheduler.next_event()
    assert (kind, reported_job, value) == ("done", job, 42)
    assert pid != os.getpid()


def test_script_classes_and_lambdas_cross_the_boundary(
    executor, scheduler, workflow, make_job
) -> None:
    executor.submit(make_job(workflow.make_point, 3))
    executor.submit(make_job(workflow.apply, lambda v: v * 10, 4))

    results = {}
    for _ in range(2):
        kind, _, result, _ = scheduler.next_event()
        assert kind == "done"
        results[type(result).__name__] = result
    assert isinstance(results["Point"], workflow.Point) and results["Point"].x == 3
    assert results["tuple"][1] == 40


def test_a_failure_comes_back_with_its_traceback(executor, scheduler, workflow, make_job) -> None:
    executor.submit(make_job(workflow.fail))

    kind, _, error, error_traceback = scheduler.next_event()
    assert kind == "reject"
    assert isinstance(error, KeyError) and error.args == ("missing",)
    assert "KeyError: 'missing'" in "".join(error_traceback)
    assert "in fail" in "".join(error_traceback)


def test_async_tasks_run_in_the_worker(executor, scheduler, workflow, make_job) -> None:
    executor.submit(make_job(workflow.awork, 1))

    kind, _, (pid, value), _ = scheduler.next_event()
    assert (kind, value) == ("done", 2)
    assert pid != os.getpid()


def test_the_mode_task_option_switches_a_thread_executor(scheduler, workflow, make_job) -> None:
    executor = LocalExecutor("default", scheduler=scheduler, config={"start_method": "spawn"})
    job = make_job(workflow.work, 1)
    job.options["mode"] = "process"
    try:
        executor.submit(job)
        kind, _, (pid, value), _ = scheduler.next_event()
    finally:
        executor.stop()

    assert (kind, value) == ("done", 2)
    assert pid != os.getpid()


def test_process_pool_survives_a_harness_that_forgets_imported_modules(
    scheduler, workflow, make_job, monkeypatch
) -> None:
    # Test harnesses (upstream redun's conftest among them) drop modules imported during a
    # test from sys.modules; the next pool must come from the module now imported, or
    # pickling its worker function fails ("not the same object as ...").
    import concurrent.futures
    import concurrent.futures.process as first

    concurrent.futures.ProcessPoolExecutor  # noqa: B018 - the package caches this class
    monkeypatch.delitem(sys.modules, "concurrent.futures.process")
    config = {"start_method": "spawn"}
    executor = LocalExecutor("process", scheduler=scheduler, config=config, mode="process")
    try:
        executor.submit(make_job(workflow.work, 5))
        kind, _, (pid, value), _ = scheduler.next_event()
    finally:
        executor.stop()
    assert (kind, value) == ("done", 10)
    assert sys.modules["concurrent.futures.process"] is not first
