"""Several `redun run` processes start at once on one SQLite repository that does not
exist yet: one of them creates the schema, all of them finish, every record is there."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

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
PROCESSES = 4


def test_concurrent_first_runs_share_one_new_repository(tmp_path):
    (tmp_path / "wf.py").write_text(WORKFLOW)
    config = tmp_path / ".redun"
    config.mkdir()
    (config / "redun.ini").write_text(f"[backend]\ndb_uri = sqlite:///{config / 'redun.db'}\n")
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "redun.cli.main",
                "run",
                "wf.py",
                "main",
                "--start",
                str(10 * i),
            ],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(PROCESSES)
    ]
    outputs = [proc.communicate(timeout=120) for proc in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    results = sorted(int(out.strip().splitlines()[-1]) for out, _ in outputs)
    assert results == sorted(sum(x * x for x in range(10 * i, 10 * i + 40)) for i in range(4))

    with sqlite3.connect(config / "redun.db") as conn:

        def one(sql: str) -> int:
            return conn.execute(sql).fetchone()[0]

        assert one("SELECT count(*) FROM redun_version") == 1
        assert one("SELECT count(*) FROM alembic_version") == 1
        assert one("SELECT count(*) FROM execution") == PROCESSES
        assert one("SELECT count(*) FROM job") == PROCESSES * 42
        assert one("SELECT count(*) FROM job WHERE end_time IS NULL OR call_hash IS NULL") == 0
        # One evaluation per distinct call: 70 squares, 4 sums, 4 mains.
        assert one("SELECT count(*) FROM evaluation") == 70 + 2 * PROCESSES
