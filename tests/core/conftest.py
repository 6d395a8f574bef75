"""Fixtures shared by the core tests: repositories on a SQLite file, and what ran."""

from __future__ import annotations

import sqlite3
from collections import Counter

import pytest
from redun import Scheduler
from redun.pytest import scheduler  # noqa: F401  (the fixture users get)


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
        made.append(Scheduler(config=sections))
        return made[-1]

    yield make
    for made_scheduler in made:
        made_scheduler.backend.close()


@pytest.fixture
def job_rows(db_path):
    """The recorded jobs: (id, task fullname, cached, end_time, result value type)."""

    def query() -> list[tuple]:
        with sqlite3.connect(db_path) as conn:
            return conn.execute(
                "SELECT job.id, task.namespace || '.' || task.name, job.cached, job.end_time, "
                "value.type FROM job JOIN task ON task.hash = job.task_hash "
                "LEFT JOIN call_node ON call_node.call_hash = job.call_hash "
                "LEFT JOIN value ON value.value_hash = call_node.value_hash"
            ).fetchall()

    return query


@pytest.fixture
def ran_tasks(db_path):
    """Fullnames of the jobs that ran (not cached) in a scheduler's last execution."""

    def query(made_scheduler: Scheduler) -> list[str]:
        with sqlite3.connect(db_path) as conn:
            rows = conn.execute(
                "SELECT task.namespace || '.' || task.name FROM job "
                "JOIN task ON task.hash = job.task_hash "
                "WHERE job.cached = 0 AND job.execution_id = ?",
                (made_scheduler.execution.id,),
            ).fetchall()
        return sorted(name for (name,) in rows)

    return query
