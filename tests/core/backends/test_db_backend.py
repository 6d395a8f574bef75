"""What only the SQLite backend does: its files, WAL, URIs and stored text. What every
backend does (idempotent writes, batched reads, concurrent clients, ...) is in
tests/contracts/test_backend_contract.py, run against SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from contracts.backend_rows import fake_hash, one_call_execution
from redun.backends.db import RedunBackendDb
from redun.backends.records import TagRow
from redun.errors import BackendError


def count(path: str, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_tag_edits_leave_one_current_tag(backend, db_path):
    backend.write(one_call_execution())
    backend.write(
        [
            TagRow(
                fake_hash("n"), "Execution", "e" * 36, "env", {"a": [1]}, parents=(fake_hash("x"),)
            )
        ]
    )
    backend.flush()
    with sqlite3.connect(db_path) as conn:
        tags = dict(conn.execute("SELECT value, is_current FROM tag").fetchall())
        edits = conn.execute("SELECT parent_id, child_id FROM tag_edit").fetchall()
    assert tags == {'"prod"': 0, '{"a":[1]}': 1}
    assert edits == [(fake_hash("x"), fake_hash("n"))]


def test_write_before_load_is_an_error(db_path):
    with pytest.raises(BackendError, match="not loaded"):
        RedunBackendDb(f"sqlite:///{db_path}").write(one_call_execution())


def test_file_database_uses_wal(backend, db_path):
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_relative_path_is_relative_to_config_dir(tmp_path):
    backend = RedunBackendDb("sqlite:///repo.db", config_dir=str(tmp_path))
    backend.load()
    backend.close()
    assert (tmp_path / "repo.db").exists()


def test_memory_database_is_the_default():
    backend = RedunBackendDb()
    backend.load()
    backend.write(one_call_execution())
    backend.flush()
    assert backend.get_evaluations([fake_hash("v")]) == {fake_hash("v"): fake_hash("2")}
    backend.close()


def test_non_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "redun.db"
    path.write_text("hello, I am a text file\n")
    backend = RedunBackendDb(f"sqlite:///{path}")
    with pytest.raises(BackendError, match="is not a SQLite database"):
        backend.load()
    assert path.read_text() == "hello, I am a text file\n"


def test_foreign_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE things (x)")
    with pytest.raises(BackendError, match="not a redun database"):
        RedunBackendDb(f"sqlite:///{path}").load()


WRITER = """
import sys
from datetime import UTC, datetime
from redun.backends.db import RedunBackendDb
from redun.backends.records import JobStartRow, TaskRow
backend = RedunBackendDb("sqlite:///" + sys.argv[1])
backend.load()
now = datetime.now(UTC)
backend.write([TaskRow("t" * 40, "add", "ns", "src")])
for i in range(500):
    backend.write([JobStartRow(f"{sys.argv[2]}-{i}", "e", None, "t" * 40, now)])
backend.close()
"""


def test_two_processes_write_one_new_file(db_path):
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, db_path, name], stderr=subprocess.PIPE)
        for name in ("a", "b")
    ]
    errors = [proc.communicate()[1].decode() for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], errors
    assert count(db_path, "job") == 1000
    assert count(db_path, "task") == 1
    assert count(db_path, "redun_version") == 1


def test_a_uri_of_another_database_is_refused_in_one_line() -> None:
    with pytest.raises(BackendError, match=r"opens sqlite:/// databases, not mysql://"):
        RedunBackendDb("mysql://db.example.com/redun")


def test_a_relative_db_uri_is_reported_as_configured(tmp_path, monkeypatch):
    import os

    from redun import Scheduler

    monkeypatch.chdir(tmp_path)
    os.makedirs(".redun")
    scheduler = Scheduler(config={"backend": {"db_uri": "sqlite:///.redun/redun.db"}})
    scheduler.load()
    assert scheduler.backend.db_uri == "sqlite:///.redun/redun.db"
    assert os.path.exists(".redun/redun.db")
    # The file stays where it was resolved when the scheduler was made.
    monkeypatch.chdir(tmp_path / ".redun")
    assert scheduler.backend.path == str(tmp_path / ".redun" / "redun.db")
    scheduler.backend.close()
