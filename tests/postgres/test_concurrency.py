"""Eight `redun run` processes on overlapping workflows share one new database at once."""

from __future__ import annotations

import subprocess

import pytest
from postgres.pg_cli import REDUN, make_repo
from postgres.pg_server import run_sql

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
def main(start: int = 0, n: int = 60) -> int:
    return add_all([square(x) for x in range(start, start + n)])
"""
PROCESSES = 8


def test_eight_processes_on_one_fresh_database_all_finish_with_every_record(fresh_pg_uri, tmp_path):
    repo = make_repo(tmp_path, fresh_pg_uri)
    (repo / "wf.py").write_text(WORKFLOW)
    procs = [
        subprocess.Popen(
            [REDUN, "run", "wf.py", "main", "--start", str(10 * i), "--n", "40"],
            cwd=repo,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(PROCESSES)
    ]
    outputs = [proc.communicate(timeout=180) for proc in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert "duplicate key" not in err and "Traceback" not in err
    results = sorted(int(out.strip().splitlines()[-1]) for out, _ in outputs)
    assert results == sorted(sum(x * x for x in range(10 * i, 10 * i + 40)) for i in range(8))

    def one(sql: str) -> int:
        return run_sql(fresh_pg_uri, sql)[0][0]

    assert one("SELECT count(*) FROM execution") == PROCESSES
    assert one("SELECT count(*) FROM redun_version") == 1
    assert one("SELECT count(*) FROM job") == PROCESSES * 42
    assert one("SELECT count(*) FROM job WHERE end_time IS NULL OR call_hash IS NULL") == 0
    # One evaluation per distinct call: 110 squares, 8 sums, 8 mains.
    assert one("SELECT count(*) FROM evaluation") == 110 + 2 * PROCESSES
    assert one("SELECT count(DISTINCT execution_id) FROM job") == PROCESSES
