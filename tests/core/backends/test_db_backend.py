from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime

import pytest
from redun.backends.db import RedunBackendDb
from redun.backends.records import JobEndRow, JobStartRow, TagRow, ValueRow
from redun.errors import BackendError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from db_rows import PICKLE, execution_rows, h  # noqa: E402


def count(path: str, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_writes_are_idempotent(backend, db_path):
    rows = execution_rows()
    backend.write(rows)
    backend.write(rows)
    backend.flush()
    for table in ("value", "task", "job", "execution", "call_node", "argument", "evaluation"):
        expected = 4 if table == "value" else 1
        assert count(db_path, table) == expected, table
    assert count(db_path, "subvalue") == 1
    assert count(db_path, "file") == 1


def test_job_end_fills_in_the_job(backend, db_path):
    backend.write(execution_rows())
    backend.flush()
    with sqlite3.connect(db_path) as conn:
        call_hash, end_time, cached = conn.execute(
            "SELECT call_hash, end_time, cached FROM job"
        ).fetchone()
    assert call_hash == h("c") and end_time is not None and cached == 0


def test_batched_reads(backend):
    backend.write(execution_rows())
    backend.flush()
    many = [h("v")] + [f"{i:040d}" for i in range(1200)]
    assert backend.get_evaluations(many) == {h("v"): h("2")}
    values = backend.get_values([h("2"), h("1"), "missing"])
    assert set(values) == {h("1"), h("2")}
    assert values[h("2")][:2] == ("builtins.int", PICKLE)
    hits = backend.get_call_nodes(h("t"), h("g"))
    assert [(hit.call_hash, hit.value_hash, hit.subtree_tasks) for hit in hits] == [
        (h("c"), h("2"), (h("t"),))
    ]
    assert backend.get_call_nodes(h("t"), h("z")) == []


def test_tag_edits_leave_one_current_tag(backend, db_path):
    backend.write(execution_rows())
    backend.write([TagRow(h("n"), "Execution", "e" * 36, "env", {"a": [1]}, parents=(h("x"),))])
    backend.flush()
    with sqlite3.connect(db_path) as conn:
        tags = dict(conn.execute("SELECT value, is_current FROM tag").fetchall())
        edits = conn.execute("SELECT parent_id, child_id FROM tag_edit").fetchall()
    assert tags == {'"prod"': 0, '{"a":[1]}': 1}
    assert edits == [(h("x"), h("n"))]


def test_close_flushes_and_data_survives_reopen(db_path):
    backend = RedunBackendDb(f"sqlite:///{db_path}")
    backend.load()
    backend.write(execution_rows())
    backend.close()
    reopened = RedunBackendDb(f"sqlite:///{db_path}")
    reopened.load()
    assert reopened.get_evaluations([h("v")]) == {h("v"): h("2")}
    reopened.close()


def test_bad_row_fails_flush_but_not_the_next_batch(backend):
    backend.write([object()])
    with pytest.raises(BackendError, match="cannot write row of type object"):
        backend.flush()
    backend.write([ValueRow(h("3"), "builtins.int", PICKLE, b"x")])
    backend.flush()
    assert set(backend.get_values([h("3")])) == {h("3")}


def test_write_before_load_is_an_error(db_path):
    with pytest.raises(BackendError, match="not loaded"):
        RedunBackendDb(f"sqlite:///{db_path}").write(execution_rows())


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
    backend.write(execution_rows())
    backend.flush()
    assert backend.get_evaluations([h("v")]) == {h("v"): h("2")}
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
    backend.write(execution_rows())  # shared rows: both writers insert them
    for i in range(n):
        job_id = f"{prefix}-{i:05d}"
        start = JobStartRow(job_id, "e" * 36, None, h("t"), now)
        backend.write([start, JobEndRow(job_id, h("c"), now, True)])
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
