"""Between runs, ``redun.db`` alone is the whole record: a backup or an scp of that one
file (without ``redun.db-wal``) still holds the last execution."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

WORKFLOW = """
from redun import task

@task()
def add(a: int, b: int) -> int:
    return a + b

@task()
def main(n: int = 3) -> list:
    return [add(i, 1) for i in range(n)]
"""

SCRIPT = (
    WORKFLOW
    + """
if __name__ == "__main__":
    from redun import Scheduler

    scheduler = Scheduler(config={"backend": {"db_uri": "sqlite:///repo.db"}})
    print(scheduler.run(main(4)))
"""
)


def executions_in_copy(db: Path, tmp_path: Path) -> list[str]:
    """Execution ids found in a copy of ``db`` made without its -wal and -shm files."""
    copy = tmp_path / "copy" / db.name
    copy.parent.mkdir()
    shutil.copyfile(db, copy)
    with sqlite3.connect(copy) as conn:
        return [row[0] for row in conn.execute("SELECT id FROM execution")]


def last_execution(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id FROM execution ORDER BY updated_time DESC").fetchone()[0]


def test_redun_run_leaves_its_execution_in_redun_db_itself(tmp_path: Path) -> None:
    (tmp_path / "wf.py").write_text(WORKFLOW)
    for n in ("2", "5"):
        subprocess.run(
            [sys.executable, "-m", "redun.cli.main", "run", "wf.py", "main", "--n", n],
            cwd=tmp_path,
            check=True,
            capture_output=True,
        )
    db = tmp_path / ".redun" / "redun.db"

    copied = executions_in_copy(db, tmp_path)

    assert len(copied) == 2
    assert last_execution(db) in copied


def test_a_script_running_a_scheduler_leaves_its_execution_in_the_db_file(tmp_path: Path) -> None:
    (tmp_path / "wf.py").write_text(SCRIPT)
    subprocess.run([sys.executable, "wf.py"], cwd=tmp_path, check=True, capture_output=True)
    db = tmp_path / "repo.db"

    assert executions_in_copy(db, tmp_path) == [last_execution(db)]
