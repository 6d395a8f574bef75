"""A first run creates its SQLite repository from static DDL, without SQLAlchemy; the
result is the schema SQLAlchemy creates from tables.py, statement for statement.

SQLAlchemy's output is taken in a fresh process: once a process has created the schema
on PostgreSQL, SQLAlchemy leaves the execution<->job foreign keys out of later SQLite DDL.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from redun.backends.db import RedunBackendDb
from redun.backends.db.sqlite_ddl_statements import STATEMENTS
from redun.backends.db.sqlite_direct import DirectReader, create_schema_if_empty, open_sqlite

GENERATOR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "make_sqlite_ddl.py")


def _in_fresh_process(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return result.stdout


def _schema(path) -> tuple[list[tuple], list[tuple], list[tuple]]:
    with sqlite3.connect(path) as conn:
        master = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"
        ).fetchall()
        versions = conn.execute("SELECT version FROM redun_version").fetchall()
        alembic = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    return master, versions, alembic


def test_static_ddl_is_what_sqlalchemy_creates():
    generated: dict = {}
    exec(_in_fresh_process(f"exec(open({GENERATOR!r}).read())"), generated)
    # SQLAlchemy emits a table's indexes in set order, which varies between processes.
    assert sorted(STATEMENTS) == sorted(generated["STATEMENTS"]), (
        "tables.py changed: regenerate sqlite_ddl_statements.py with "
        "tests/core/backends/make_sqlite_ddl.py"
    )


def test_first_run_schema_matches_sqlalchemy(tmp_path):
    direct = tmp_path / "direct.db"
    backend = RedunBackendDb(f"sqlite:///{direct}")
    backend.load()
    assert isinstance(backend._reader, DirectReader)
    backend.close()

    reference = tmp_path / "reference.db"
    _in_fresh_process(
        "import sqlite3\n"
        "from redun.backends.db import RedunBackendDb\n"
        f"sqlite3.connect({str(reference)!r}).close()\n"
        f"backend = RedunBackendDb('sqlite:///{reference}')\n"
        "backend._load_direct = lambda: False  # the SQLAlchemy path\n"
        "backend.load()\n"
        "backend.close()\n"
    )
    assert _schema(direct) == _schema(reference)
    with sqlite3.connect(direct) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_schema_is_created_once_and_never_over_existing_tables(tmp_path):
    path = tmp_path / "redun.db"
    conn = open_sqlite(str(path))
    assert create_schema_if_empty(conn) is True
    assert create_schema_if_empty(conn) is False
    assert conn.execute("SELECT COUNT(*) FROM redun_version").fetchone() == (1,)
    conn.close()

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as plain:
        plain.execute("CREATE TABLE notes (body TEXT)")
    conn = open_sqlite(str(other))
    assert create_schema_if_empty(conn) is False
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert names == {"notes"}


def test_a_file_with_other_tables_is_refused_with_one_line(tmp_path):
    path = tmp_path / "notes.db"
    with sqlite3.connect(path) as plain:
        plain.execute("CREATE TABLE notes (body TEXT)")
    backend = RedunBackendDb(f"sqlite:///{path}")
    try:
        backend.load()
    except Exception as error:
        assert "not a redun database" in str(error)
        assert "\n" not in str(error)
    else:  # pragma: no cover - the assertion below explains
        raise AssertionError("a database of another application was accepted")


def test_creating_a_repository_says_so_as_upstream_does(tmp_path, caplog):
    import logging

    with caplog.at_level(logging.INFO, logger="redun"):
        backend = RedunBackendDb(f"sqlite:///{tmp_path / 'new.db'}")
        backend.load()
        backend.close()
        again = RedunBackendDb(f"sqlite:///{tmp_path / 'new.db'}")
        again.load()
        again.close()
    created = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Upgrading")]
    assert created == ["Upgrading db from version -1.0 to 3.5..."]
