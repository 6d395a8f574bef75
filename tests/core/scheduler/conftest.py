from __future__ import annotations

import sqlite3
from collections import Counter

import pytest
from redun import Scheduler


class Calls(Counter):
    """Counts task body executions (bodies run in executor threads)."""

    def hit(self, name: str) -> None:
        self[name] += 1


@pytest.fixture
def calls() -> Calls:
    return Calls()


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "redun.db"


@pytest.fixture
def make_scheduler(db_path):
    """Schedulers sharing one SQLite file, like successive `redun run`s."""
    made = []

    def make(**config) -> Scheduler:
        sections = {"backend": {"db_uri": f"sqlite:///{db_path}"}, **config}
        scheduler = Scheduler(config=sections)
        made.append(scheduler)
        return scheduler

    yield make
    for scheduler in made:
        scheduler.backend.close()


@pytest.fixture
def job_rows(db_path):
    """The recorded jobs: (id, task fullname, cached, end_time, result value type)."""
    return lambda: _job_rows(db_path)


def _job_rows(db_path) -> list[tuple]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(
            "SELECT job.id, task.namespace || '.' || task.name, job.cached, job.end_time, "
            "value.type FROM job JOIN task ON task.hash = job.task_hash "
            "LEFT JOIN call_node ON call_node.call_hash = job.call_hash "
            "LEFT JOIN value ON value.value_hash = call_node.value_hash"
        ).fetchall()
