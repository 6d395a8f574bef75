"""A value that cannot be pickled or hashed fails its job, never the scheduler.

Whether a task returns it or receives it as an argument, that job is recorded FAILED
with the error, ``catch`` can recover, siblings finish and are recorded, the run ends.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

import pytest
from redun import catch, task

redun_namespace = "test_unhashable_values"


def _status(db_path) -> dict[str, list[str]]:
    """Each task's recorded job outcomes: FAILED (an error value), DONE or CACHED."""
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute(
            "SELECT task.name, value.type, job.cached, job.end_time FROM job "
            "JOIN task ON task.hash = job.task_hash "
            "LEFT JOIN call_node ON call_node.call_hash = job.call_hash "
            "LEFT JOIN value ON value.value_hash = call_node.value_hash"
        ).fetchall()
        executions = conn.execute("SELECT count(*) FROM execution").fetchone()[0]
    assert executions >= 1
    status: dict[str, list[str]] = {}
    for name, value_type, cached, end_time in rows:
        assert end_time is not None, f"{name} was left running"
        outcome = "FAILED" if value_type == "redun.ErrorValue" else "CACHED" if cached else "DONE"
        status.setdefault(name, []).append(outcome)
    return {name: sorted(outcomes) for name, outcomes in status.items()}


def _tasks(calls):
    @task()
    def make_lock():
        return threading.Lock()

    @task()
    def make_generator():
        return (i for i in range(3))

    @task()
    def use(value):
        calls.hit("use")
        return 1

    @task()
    def sibling(i: int):
        calls.hit("sibling")
        return i

    @task()
    def recover(error):
        return f"recovered {type(error).__name__}"

    return make_lock, make_generator, use, sibling, recover


@pytest.mark.parametrize("kind", ["returned lock", "returned generator", "lock argument"])
def test_the_job_fails_and_siblings_are_recorded(make_scheduler, calls, db_path, caplog, kind):
    make_lock, make_generator, use, sibling, _ = _tasks(calls)

    @task()
    def main():
        if kind == "returned lock":
            bad = make_lock()
        elif kind == "returned generator":
            bad = make_generator()
        else:
            bad = use(threading.Lock())
        return [bad] + [sibling(i) for i in range(5)]

    caplog.set_level(logging.INFO, logger="redun")
    with pytest.raises(TypeError, match="pickle"):
        make_scheduler().run(main())
    assert "*** Execution failed. Traceback (most recent task last):" in caplog.text
    failed_task = {"returned lock": "make_lock", "returned generator": "make_generator"}
    status = _status(db_path)
    assert status[failed_task.get(kind, "use")] == ["FAILED"]
    assert status["main"] == ["FAILED"]
    assert calls["use"] == 0
    if kind == "lock argument":
        # The call fails as the workflow unfolds, before its siblings are dispatched:
        # they never start, and none is left recorded as running.
        assert status.get("sibling", []) == ["DONE"] * calls["sibling"]
        return
    # Siblings running when the job failed finish and are recorded; a rerun repeats
    # only what failed.
    assert status["sibling"] == ["DONE"] * 5
    with pytest.raises(TypeError):
        make_scheduler().run(main())
    assert calls["sibling"] == 5


def test_catch_recovers_from_an_unhashable_value(make_scheduler, calls):
    make_lock, _, use, sibling, recover = _tasks(calls)

    @task()
    def main():
        return [
            catch(make_lock(), TypeError, recover),
            catch(use(threading.Lock()), TypeError, recover),
            sibling(1),
        ]

    assert make_scheduler().run(main()) == ["recovered TypeError", "recovered TypeError", 1]
