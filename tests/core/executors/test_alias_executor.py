"""AliasExecutor forwards to its target, resolved by name on first use."""

from __future__ import annotations

import pytest
from redun.errors import ConfigError, ExecutorError
from redun.executors.alias import AliasExecutor
from redun.executors.base import Executor


class RecordingExecutor(Executor):
    executor_type = "recording"

    def __init__(self, name: str, scheduler=None, config=None) -> None:
        super().__init__(name, scheduler=scheduler, config=config)
        self.submitted: list = []

    def submit(self, job) -> None:
        self.submitted.append(("submit", job))

    def submit_script(self, job) -> None:
        self.submitted.append(("script", job))


def add_executors(scheduler, *executors: Executor) -> None:
    for executor in executors:
        executor.scheduler = scheduler
        scheduler.executors[executor.name] = executor


def test_jobs_are_forwarded_to_the_target(scheduler, make_job) -> None:
    alias = AliasExecutor("heavy", config={"type": "alias", "target": "pool"})
    # The target may be added after the alias: it is looked up when first used.
    add_executors(scheduler, alias)
    pool = RecordingExecutor("pool")
    add_executors(scheduler, pool)
    job, script_job = make_job(len, "ab"), make_job(len, "cd")

    alias.submit(job)
    alias.submit_script(script_job)

    assert pool.submitted == [("submit", job), ("script", script_job)]
    assert alias.supports_async() is False


def test_alias_can_wrap_an_executor_object(scheduler, make_job) -> None:
    pool = RecordingExecutor("pool")
    alias = AliasExecutor("other", target=pool)
    add_executors(scheduler, pool, alias)
    job = make_job(len, "x")

    alias.submit(job)

    assert pool.submitted == [("submit", job)]


def test_an_unknown_target_is_an_executor_error_naming_it(scheduler, make_job) -> None:
    alias = AliasExecutor("heavy", config={"target": "missing"})
    add_executors(scheduler, alias, RecordingExecutor("pool"))
    job = make_job(len, "x")

    # Raised from submit, as upstream's alias does; the scheduler fails the job with it.
    with pytest.raises(ExecutorError) as raised:
        alias.submit(job)
    assert str(raised.value) == (
        "Could not find executor `missing` from options: heavy, pool "
        "(alias executor 'heavy'; fix target in [executors.heavy])"
    )


def test_an_alias_takes_a_target_or_a_config_not_both() -> None:
    with pytest.raises(AssertionError, match="Exactly one of `target` or `config`"):
        AliasExecutor("other", config={"target": "pool"}, target=RecordingExecutor("pool"))


def test_alias_cycles_are_reported(scheduler, make_job) -> None:
    add_executors(
        scheduler,
        AliasExecutor("a", config={"target": "b"}),
        AliasExecutor("b", config={"target": "a"}),
    )

    with pytest.raises(ExecutorError, match="alias executors form a cycle: a -> b -> a"):
        _ = scheduler.executors["a"].target


def test_an_alias_needs_a_target() -> None:
    with pytest.raises(ConfigError) as info:
        AliasExecutor("heavy", config={"type": "alias"})

    assert str(info.value) == (
        "[executors.heavy] is an alias without a target: add 'target = NAME'"
    )
