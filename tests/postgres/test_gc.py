"""`redun gc` and `redun db info` on PostgreSQL (which checks every foreign key)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from postgres.pg_cli import make_repo, redun
from postgres.pg_server import run_sql

pytestmark = pytest.mark.slow

WORKFLOW = (Path(__file__).parents[1] / "core" / "cli" / "workflows" / "why_wf.py").read_text()
FANOUT = """
from redun import task

redun_namespace = "pgfan"


@task()
def square(x: int) -> int:
    return x * x


@task()
def main(n: int = 200, offset: int = 0) -> int:
    return sum_all([square(i + offset) for i in range(n)])


@task()
def sum_all(values: list) -> int:
    return sum(values)
"""
# Every reference a row holds must find its row (lineage intact).
DANGLING = [
    "SELECT COUNT(*) FROM job j LEFT JOIN call_node c ON c.call_hash = j.call_hash "
    "WHERE j.call_hash IS NOT NULL AND c.call_hash IS NULL",
    "SELECT COUNT(*) FROM call_node n LEFT JOIN value v ON v.value_hash = n.value_hash "
    "WHERE v.value_hash IS NULL",
    "SELECT COUNT(*) FROM argument a LEFT JOIN value v ON v.value_hash = a.value_hash "
    "WHERE v.value_hash IS NULL",
    "SELECT COUNT(*) FROM evaluation e LEFT JOIN value v ON v.value_hash = e.value_hash "
    "WHERE v.value_hash IS NULL",
    "SELECT COUNT(*) FROM call_edge e LEFT JOIN call_node c ON c.call_hash = e.child_id "
    "WHERE c.call_hash IS NULL",
    "SELECT COUNT(*) FROM call_node WHERE args_hash <> LOWER(args_hash)",
]


@pytest.fixture
def repo(tmp_path: Path, pg_uri: str) -> Path:
    path = make_repo(tmp_path, pg_uri)
    (path / "wf.py").write_text(WORKFLOW)
    (path / "data.txt").write_text("a\nb\n")
    return path


def ok(repo: Path, *args: str):
    result = redun(repo, *args)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def test_gc_and_db_info(repo: Path, pg_uri: str) -> None:
    for n in ("1", "2", "3"):
        ok(repo, "run", "wf.py", "main", "--n", n)
    dry = ok(repo, "gc", "--keep-last", "1", "--active-window", "0s", "--dry-run").stdout
    assert dry.startswith("Would delete 2 execution(s), keeping 1; ")
    assert run_sql(pg_uri, "SELECT COUNT(*) FROM execution")[0][0] == 3
    done = ok(repo, "gc", "--keep-last", "1", "--active-window", "0s", "--settle", "0").stdout
    assert done.startswith("Deleted 2 execution(s), keeping 1; ")
    assert run_sql(pg_uri, "SELECT COUNT(*) FROM execution")[0][0] == 1
    assert [run_sql(pg_uri, sql)[0][0] for sql in DANGLING] == [0] * len(DANGLING)
    # The kept execution's results are still served from the cache.
    assert "Run    Job" not in ok(repo, "run", "wf.py", "main", "--n", "3").stderr
    info = ok(repo, "db", "info").stdout
    assert "Tables (rows, size):" in info and "Largest values:" in info


def test_gc_beside_running_workflows_breaks_no_lineage(repo: Path, pg_uri: str) -> None:
    (repo / "fan.py").write_text(FANOUT)
    ok(repo, "run", "fan.py", "main", "--n", "300")
    ok(repo, "run", "fan.py", "main", "--n", "300", "--offset", "150")
    results = []

    def writer() -> None:
        for offset in ("50", "100", "200"):
            results.append(redun(repo, "run", "fan.py", "main", "--n", "300", "--offset", offset))

    thread = threading.Thread(target=writer)
    thread.start()
    collected = [
        redun(repo, "gc", "--keep-last", "1", "--active-window", "0s", "--settle", "0.2")
        for _ in range(3)
    ]
    thread.join()
    assert [r.returncode for r in collected] == [0, 0, 0], [r.stderr[-800:] for r in collected]
    assert [r.returncode for r in results] == [0, 0, 0], [r.stderr[-800:] for r in results]
    expected = [sum((i + o) ** 2 for i in range(300)) for o in (50, 100, 200)]
    assert [int(r.stdout.strip()) for r in results] == expected
    assert [run_sql(pg_uri, sql)[0][0] for sql in DANGLING] == [0] * len(DANGLING)
