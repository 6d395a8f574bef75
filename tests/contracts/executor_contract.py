"""What the scheduler relies on from any executor, as tests an executor package reuses.

A test module imports these tests and provides an ``executor`` fixture: a factory
``make(name) -> Executor`` for the executor under test (not yet started). The tests run
real workflows through a real Scheduler whose ``default`` executor it is, so they hold
for thread pools, processes, AWS Batch or Spark alike::

    from contracts.executor_contract import *  # noqa: F403

    @pytest.fixture
    def executor():
        return lambda name: MyExecutor(name, config={...})

The tasks live in this module, importable as ``contracts.executor_contract`` wherever
``tests/`` is on the import path (a worker process inherits it).
"""

from __future__ import annotations

import pytest
from redun import Scheduler, task

redun_namespace = "executor_contract"


class ContractError(Exception):
    """Raised by a task; must reach the caller as itself, not wrapped."""


@task(namespace="executor_contract")
def add(a: int, b: int) -> int:
    return a + b


@task(namespace="executor_contract")
def fail(message: str) -> int:
    raise ContractError(message)


@task(namespace="executor_contract")
def fan_out(n: int) -> list:
    return [add(i, i) for i in range(n)]


@task(namespace="executor_contract")
def total(values: list) -> int:
    return sum(values)


@task(namespace="executor_contract")
def nested(n: int) -> int:
    return total(fan_out(n))


@pytest.fixture
def contract_scheduler(executor, tmp_path):
    """A scheduler on a SQLite file whose default executor is the one under test."""
    scheduler = Scheduler(config={"backend": {"db_uri": f"sqlite:///{tmp_path / 'redun.db'}"}})
    scheduler.add_executor(executor("default"))
    yield scheduler
    scheduler.backend.close()


def test_a_job_result_comes_back(contract_scheduler) -> None:
    assert contract_scheduler.run(add(1, 2)) == 3


def test_a_task_error_reaches_the_caller_as_itself(contract_scheduler) -> None:
    with pytest.raises(ContractError, match="no luck"):
        contract_scheduler.run(fail("no luck"))


def test_many_jobs_at_once_all_report(contract_scheduler) -> None:
    assert contract_scheduler.run(total(fan_out(50))) == sum(2 * i for i in range(50))


def test_a_job_may_return_more_calls(contract_scheduler) -> None:
    assert contract_scheduler.run(nested(10)) == sum(2 * i for i in range(10))


def test_the_scheduler_can_run_again_on_the_same_executor(contract_scheduler) -> None:
    """start() and stop() are idempotent: each run starts and stops the executors."""
    assert contract_scheduler.run(add(2, 2)) == 4
    assert contract_scheduler.run(add(3, 3)) == 6


def test_a_second_run_is_served_from_the_cache(contract_scheduler, tmp_path) -> None:
    import sqlite3

    assert contract_scheduler.run(total(fan_out(5))) == 20
    assert contract_scheduler.run(total(fan_out(5))) == 20
    contract_scheduler.backend.flush()
    with sqlite3.connect(tmp_path / "redun.db") as conn:
        cached = conn.execute("SELECT count(*) FROM job WHERE cached").fetchone()[0]
    assert cached >= 1
