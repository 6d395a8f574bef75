"""Remote jobs end to end through core's lifecycle and real ``redun oneshot`` processes."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from redun.errors import RemoteJobTimeoutError

pytestmark = pytest.mark.slow


def service_of(scheduler: Any) -> Any:
    return scheduler.executors["remote"].lifecycle.service


def test_single_job_result_comes_back_and_is_cached(remote_scheduler: Any, flow: Any) -> None:
    scheduler = remote_scheduler()
    assert scheduler.run(flow.add(2, 3)) == 5
    assert scheduler.run(flow.add(2, 3)) == 5
    # The second run is a cache hit: nothing new was submitted.
    assert service_of(scheduler).calls["submit"] == 1


def test_fan_out_of_one_task_leaves_as_one_array_job(
    remote_scheduler: Any, flow: Any, tmp_path: Path
) -> None:
    scheduler = remote_scheduler()
    assert scheduler.run(flow.fan_out(8)) == [i + 1 for i in range(8)]
    service = service_of(scheduler)
    assert service.calls["submit"] == 1
    # Each child wrote its result into its own job directory.
    outputs = list((tmp_path / "scratch" / "jobs").glob("*/output"))
    assert len(outputs) == 8


def test_few_jobs_are_submitted_one_by_one(remote_scheduler: Any, flow: Any) -> None:
    scheduler = remote_scheduler(min_array_size="5")
    assert scheduler.run(flow.fan_out(3)) == [1, 2, 3]
    assert service_of(scheduler).calls["submit"] == 3


def test_failing_task_raises_its_own_exception_with_the_log_tail(
    remote_scheduler: Any, flow: Any
) -> None:
    scheduler = remote_scheduler()
    with pytest.raises(ValueError, match="bad input 7") as info:
        scheduler.run(flow.boom(7))
    trace = "".join(info.value.__redun_traceback__.format())
    assert "about to fail on 7" in trace
    assert "status reason" in trace


def test_script_task_runs_remotely(remote_scheduler: Any, flow: Any) -> None:
    scheduler = remote_scheduler()
    assert scheduler.run(flow.shout("hello")) == b"HELLO\n"


def test_timeout_is_its_own_error(remote_scheduler: Any, flow: Any) -> None:
    scheduler = remote_scheduler(timeout="0.5")
    with pytest.raises(RemoteJobTimeoutError, match="timed out"):
        scheduler.run(flow.nap(30))


def _when_running(service: Any, action: Any) -> threading.Thread:
    def watch() -> None:
        for _ in range(600):
            active = service.list_active()
            if active:
                action(active)
                return
            time.sleep(0.05)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


def test_preempted_job_is_resubmitted_and_the_run_succeeds(
    remote_scheduler: Any, flow: Any, tmp_path: Path
) -> None:
    scheduler = remote_scheduler()
    executor = scheduler.executors["remote"]
    marker = tmp_path / "go"
    service = executor.lifecycle.service

    def preempt_then_release(active: list) -> None:
        service.preempt(active[0].remote_id)
        marker.touch()

    watcher = _when_running(service, preempt_then_release)
    assert scheduler.run(flow.wait_for(str(marker), 42)) == 42
    watcher.join()
    assert service.calls["submit"] == 2


def test_preemption_beyond_the_retries_fails_the_job(
    remote_scheduler: Any, flow: Any, tmp_path: Path
) -> None:
    scheduler = remote_scheduler(preemption_retries="0")
    service = scheduler.executors["remote"].lifecycle.service
    _when_running(service, lambda active: service.preempt(active[0].remote_id))
    with pytest.raises(Exception, match="lost its host"):
        scheduler.run(flow.wait_for(str(tmp_path / "never"), 1))


def test_missing_scratch_is_a_one_line_error_naming_the_key(
    flow: Any, tmp_path: Path, remote_executor: Any
) -> None:
    from redun import Scheduler
    from redun.errors import ConfigError

    scheduler = Scheduler(config={"backend": {"db_uri": f"sqlite:///{tmp_path}/redun.db"}})
    scheduler.add_executor(remote_executor({}))
    with pytest.raises(ConfigError, match=r"\[executors.remote\] is missing 'scratch'"):
        scheduler.run(flow.add(1, 2))
