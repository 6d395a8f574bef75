"""Scheduler.extend_run: a run hung under a job of an earlier execution."""

from __future__ import annotations

import sqlite3

from redun import task

redun_namespace = "test_extend_run"


@task()
def inc(x: int):
    return x + 1


@task()
def fail():
    raise ValueError("BOOM")


def _parent_of(db_path, job_id):
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT parent_id FROM job WHERE id = ?", (job_id,)).fetchone()[0]


def test_every_outcome_names_the_new_job(make_scheduler, db_path):
    scheduler = make_scheduler()
    assert scheduler.run(inc(1)) == 2
    parent_id = scheduler.execution.job.id

    done = scheduler.extend_run(inc(10), parent_job_id=parent_id)
    assert done["result"] == 11 and done["call_hash"]
    assert _parent_of(db_path, done["job_id"]) == parent_id

    failed = scheduler.extend_run(fail(), parent_job_id=parent_id)
    assert isinstance(failed["error"], ValueError) and failed["call_hash"]
    assert _parent_of(db_path, failed["job_id"]) == parent_id

    stopped = scheduler.extend_run(inc(20), parent_job_id=parent_id, dryrun=True)
    assert stopped["dryrun"] is True and stopped["job_id"]
    assert scheduler.extend_run(inc(10), parent_job_id=parent_id, dryrun=True)["result"] == 11
