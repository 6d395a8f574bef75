"""Executors may tag the jobs they report (upstream's ``job_tags`` argument)."""

from __future__ import annotations

import json
import sqlite3

import pytest
from redun import task
from redun.executors.base import Executor

redun_namespace = "job_tags"


@task(namespace="job_tags")
def double(x: int) -> int:
    return 2 * x


@task(namespace="job_tags")
def explode(x: int) -> int:
    raise ValueError(f"boom {x}")


class TaggingExecutor(Executor):
    """Runs a job inline and reports it with the tags a remote service would add."""

    def submit(self, job) -> None:
        tags = [("where", "here"), ("attempt", 1)]
        try:
            result = job.task.func(*job.args, **job.kwargs)
        except Exception as error:
            self.scheduler.reject_job(job, error, job_tags=tags)
        else:
            self.scheduler.done_job(job, result, job_tags=tags)


def job_tags(db_path) -> list[tuple[str, object]]:
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT key, value FROM tag WHERE entity_type = 'Job'")
        return sorted((key, json.loads(value)) for key, value in rows)


def test_tags_reported_with_a_result_are_recorded_on_the_job(make_scheduler, db_path) -> None:
    scheduler = make_scheduler()
    scheduler.add_executor(TaggingExecutor("default"))

    assert scheduler.run(double(21)) == 42
    assert job_tags(db_path) == [("attempt", 1), ("where", "here")]


def test_tags_reported_with_a_failure_are_recorded_on_the_job(make_scheduler, db_path) -> None:
    scheduler = make_scheduler()
    scheduler.add_executor(TaggingExecutor("default"))

    with pytest.raises(ValueError, match="boom 1"):
        scheduler.run(explode(1))
    assert job_tags(db_path) == [("attempt", 1), ("where", "here")]
