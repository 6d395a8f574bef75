from __future__ import annotations

import sqlite3

import pytest
from redun import Scheduler
from redun.pytest import scheduler  # noqa: F401  (the fixture users get)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "redun.db"


@pytest.fixture
def make_scheduler(db_path):
    """Schedulers sharing one SQLite file, like successive `redun run`s."""
    made = []

    def make() -> Scheduler:
        made.append(Scheduler(config={"backend": {"db_uri": f"sqlite:///{db_path}"}}))
        return made[-1]

    yield make
    for made_scheduler in made:
        made_scheduler.backend.close()


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
