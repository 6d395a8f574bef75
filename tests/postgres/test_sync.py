"""`redun push` / `redun pull` between a SQLite repository and a Postgres one, both ways."""

from __future__ import annotations

import pytest
from postgres.pg_cli import make_repo, redun
from postgres.pg_server import run_sql

pytestmark = pytest.mark.slow

WORKFLOW = """
from redun import task

redun_namespace = "sync_demo"


@task()
def inc(x: int) -> int:
    return x + 1


@task()
def main(n: int = 3) -> list:
    return [inc(i) for i in range(n)]
"""


def test_push_to_postgres_and_pull_back_into_a_new_sqlite_repo(pg_uri, tmp_path):
    local = make_repo(tmp_path / "local", "sqlite:///redun.db")
    (local / "wf.py").write_text(WORKFLOW)
    make_repo(tmp_path / "team", pg_uri)
    assert redun(local, "run", "wf.py", "main").returncode == 0
    assert redun(local, "repo", "add", "team", str(tmp_path / "team" / ".redun")).returncode == 0

    pushed = redun(local, "push", "team")
    assert pushed.returncode == 0, pushed.stderr
    assert "record(s) to repo 'team'" in pushed.stdout
    assert run_sql(pg_uri, "SELECT count(*) FROM job")[0][0] == 4
    assert "up to date" in redun(local, "push", "team").stdout

    # A second machine pulls the team's record and reuses its cache.
    other = make_repo(tmp_path / "other", "sqlite:///redun.db")
    (other / "wf.py").write_text(WORKFLOW)
    assert redun(other, "repo", "add", "team", str(tmp_path / "team" / ".redun")).returncode == 0
    pulled = redun(other, "pull", "team")
    assert pulled.returncode == 0, pulled.stderr
    assert "new record(s) from repo 'team'" in pulled.stdout
    rerun = redun(other, "run", "wf.py", "main")
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stderr.count("Cached Job") == 4, rerun.stderr
