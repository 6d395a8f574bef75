from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime

import pytest
from contracts.backend_rows import PICKLE, fake_hash, one_call_execution
from redun.backends.db import RedunBackendDb
from redun.backends.records import JobEndRow, JobStartRow, TagRow, ValueRow
from redun.errors import BackendError


def count(path: str, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_writes_are_idempotent(backend, db_path):
    rows = one_call_execution()
    backend.write(rows)
    backend.write(rows)
    backend.flush()
    for table in ("value", "task", "job", "execution", "call_node", "argument", "evaluation"):
        expected = 4 if table == "value" else 1
        assert count(db_path, table) == expected, table
    assert count(db_path, "subvalue") == 1
    assert count(db_path, "file") == 1


def test_job_end_fills_in_the_job(backend, db_path):
    backend.write(one_call_execution())
    backend.flush()
    with sqlite3.connect(db_path) as conn:
        call_hash, end_time, cached = conn.execute(
            "SELECT call_hash, end_time, cached FROM job"
        ).fetchone()
    assert call_hash == fake_hash("c") and end_time is not None and cached == 0


def test_batched_reads(backend):
    backend.write(one_call_execution())
    backend.flush()
    many = [fake_hash("v")] + [f"{i:040d}" for i in range(1200)]
    assert backend.get_evaluations(many) == {fake_hash("v"): fake_hash("2")}
    values = backend.get_values([fake_hash("2"), fake_hash("1"), "missing"])
    assert set(values) == {fake_hash("1"), fake_hash("2")}
    assert values[fake_hash("2")][:2] == ("builtins.int", PICKLE)
    hits = backend.get_call_nodes(fake_hash("t"), fake_hash("g"))
    assert [(hit.call_hash, hit.value_hash, hit.subtree_tasks) for hit in hits] == [
        (fake_hash("c"), fake_hash("2"), (fake_hash("t"),))
    ]
    assert backend.get_call_nodes(fake_hash("t"), fake_hash("z")) == []


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


def test_close_flushes_and_data_survives_reopen(db_path):
    backend = RedunBackendDb(f"sqlite:///{db_path}")
    backend.load()
    backend.write(one_call_execution())
    backend.close()
    reopened = RedunBackendDb(f"sqlite:///{db_path}")
    reopened.load()
    assert reopened.get_evaluations([fake_hash("v")]) == {fake_hash("v"): fake_hash("2")}
    reopened.close()


def test_bad_row_fails_flush_but_not_the_next_batch(backend):
    backend.write([object()])
    with pytest.raises(BackendError, match="cannot write row of type object"):
        backend.flush()
    backend.write([ValueRow(fake_hash("3"), "builtins.int", PICKLE, b"x")])
    backend.flush()
    assert set(backend.get_values([fake_hash("3")])) == {fake_hash("3")}


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


def _write_jobs(backend: RedunBackendDb, prefix: str, n: int) -> None:
    now = datetime.now(UTC)
    backend.write(one_call_execution())  # shared rows: both writers insert them
    for i in range(n):
        job_id = f"{prefix}-{i:05d}"
        start = JobStartRow(job_id, "e" * 36, None, fake_hash("t"), now)
        backend.write([start, JobEndRow(job_id, fake_hash("c"), now, True)])
    backend.flush()


def test_two_backends_write_one_file_concurrently(db_path):
    backends = [RedunBackendDb(f"sqlite:///{db_path}") for _ in range(2)]
    for backend in backends:
        backend.load()
    threads = [
        threading.Thread(target=_write_jobs, args=(b, f"t{i}", 300)) for i, b in enumerate(backends)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for backend in backends:
        backend.close()
    assert count(db_path, "job") == 601


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
