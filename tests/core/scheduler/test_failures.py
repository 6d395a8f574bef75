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
