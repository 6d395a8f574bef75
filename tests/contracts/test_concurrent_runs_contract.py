"""Several `redun run` processes start at once on one repository that has no schema yet,
with overlapping workflows: one of them creates the schema, all of them finish, and every
record is there once. Run against a SQLite file and a PostgreSQL database."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from postgres.pg_cli import REDUN, make_repo

pytestmark = pytest.mark.slow

WORKFLOW = """
from redun import task

redun_namespace = "overlap"


@task()
def square(x: int) -> int:
    return x * x


@task()
def add_all(values: list) -> int:
    return sum(values)


@task()
def main(start: int = 0, n: int = 40) -> int:
    return add_all([square(x) for x in range(start, start + n)])
"""


@dataclass
class NewRepository:
    """A directory whose redun.ini names a database without a schema, how to count its
    rows, and how many processes to start on it at once."""

    path: Path
    one: Callable[[str], int]
    processes: int


@pytest.fixture(params=["sqlite", "postgres"])
def new_repository(request: pytest.FixtureRequest, tmp_path: Path) -> NewRepository:
    if request.param == "sqlite":
        import sqlite3

        db = tmp_path / ".redun" / "redun.db"

        def one(sql: str) -> int:
            with sqlite3.connect(db) as conn:
                return conn.execute(sql).fetchone()[0]

        return NewRepository(make_repo(tmp_path, f"sqlite:///{db}"), one, processes=4)
    from postgres.pg_server import run_sql

    uri = request.getfixturevalue("fresh_pg_uri")
    return NewRepository(make_repo(tmp_path, uri), lambda sql: run_sql(uri, sql)[0][0], processes=8)


def test_concurrent_first_runs_share_one_new_repository(new_repository: NewRepository) -> None:
    repo, count = new_repository.path, new_repository.processes
    (repo / "wf.py").write_text(WORKFLOW)
    procs = [
        subprocess.Popen(
            [REDUN, "run", "wf.py", "main", "--start", str(10 * i), "--n", "40"],
            cwd=repo,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(count)
    ]
    outputs = [proc.communicate(timeout=180) for proc in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert "duplicate key" not in err and "Traceback" not in err
    results = sorted(int(out.strip().splitlines()[-1]) for out, _ in outputs)
    assert results == sorted(sum(x * x for x in range(10 * i, 10 * i + 40)) for i in range(count))

    one = new_repository.one
    assert one("SELECT count(*) FROM redun_version") == 1
    assert one("SELECT count(*) FROM alembic_version") == 1
    assert one("SELECT count(*) FROM execution") == count
    assert one("SELECT count(DISTINCT execution_id) FROM job") == count
    assert one("SELECT count(*) FROM job") == count * 42
    assert one("SELECT count(*) FROM job WHERE end_time IS NULL OR call_hash IS NULL") == 0
    # One evaluation per distinct call: the squares of 0 .. 10 * (count - 1) + 39, plus
    # one sum and one main per process.
    assert one("SELECT count(*) FROM evaluation") == (10 * (count - 1) + 40) + 2 * count
