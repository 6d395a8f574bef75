"""The DBAPI fast path stores exactly what SQLAlchemy's typed insert would."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest
from redun.backends.db import RedunBackendDb
from redun.backends.db.sqlite_direct import DirectReader
from redun.backends.records import (
    ExecutionRow,
    JobEndRow,
    JobStartRow,
    TagRow,
    TaskRow,
    ValueRow,
)


def _tables(path, names: tuple[str, ...]) -> list[list[tuple]]:
    with sqlite3.connect(path) as conn:
        return [conn.execute(f"SELECT * FROM {name} ORDER BY 1").fetchall() for name in names]


def _stored(path, rows, fast: bool) -> list[list[tuple]]:
    backend = RedunBackendDb(f"sqlite:///{path}")
    backend.load()
    if not fast:
        backend._writer._insert_rows = None  # the generic SQLAlchemy executemany
    backend.write(rows)
    backend.flush()
    backend.close()
    return _tables(path, ("value", "task", "execution", "job", "tag"))


def test_fast_path_matches_sqlalchemy(tmp_path):
    naive = datetime(2026, 11, 29, 23, 1, 2, 345678)
    aware = datetime(2026, 11, 29, 23, 1, 2, 5, tzinfo=UTC)
    rows = [
        ValueRow("v" * 40, "builtins.int", "application/python-pickle", b"\x80\x03K\x01."),
        TaskRow("t" * 40, "main", "ns", "def main(): pass"),
        ExecutionRow("e1", "j1", '["redun", "run"]', naive),
        JobStartRow("j1", "e1", None, "t" * 40, aware),
        JobEndRow("j1", None, naive, True),
        JobStartRow("j2", "e1", "j1", "t" * 40, naive),
        TagRow("h" * 40, "Execution", "e1", "env", {"b": [1, 2], "a": None}),
    ]
    assert _stored(tmp_path / "fast.db", rows, fast=True) == _stored(
        tmp_path / "slow.db", rows, fast=False
    )


def test_static_sqlite_schema_matches_the_tables():
    """sqlite_schema describes tables.py exactly (names, order, storage kinds)."""
    from redun.backends.db import tables
    from redun.backends.db.sqlite_schema import COLUMNS, INSERT_ORDER
    from redun.backends.db.types import JSON, DateTimeUTC
    from sqlalchemy import Boolean

    def kind(column) -> str:
        if isinstance(column.type, DateTimeUTC):
            return "datetime"
        if isinstance(column.type, JSON):
            return "json"
        if isinstance(column.type, Boolean):
            return "bool"
        if getattr(column.type, "enum_class", None) is not None:
            return "enum"
        return ""

    table_names = set(tables.metadata.tables) - {"redun_version", "alembic_version"}
    assert set(COLUMNS) == table_names == set(INSERT_ORDER)
    for name, columns in COLUMNS.items():
        table = tables.metadata.tables[name]
        assert columns == tuple((c.name, kind(c)) for c in table.columns), name


def _stored_direct(path, rows) -> list[list[tuple]]:
    created = RedunBackendDb(f"sqlite:///{path}")
    created.load()  # creates the schema (SQLAlchemy path)
    created.close()
    backend = RedunBackendDb(f"sqlite:///{path}")
    backend.load()
    # An existing current-schema file takes the fast path.
    assert isinstance(backend._reader, DirectReader)
    backend.write(rows)
    backend.flush()
    assert backend.get_evaluations(["nope"]) == {}
    backend.close()
    return _tables(path, ("value", "task", "execution", "job", "tag"))


def test_direct_path_matches_sqlalchemy(tmp_path):
    naive = datetime(2026, 11, 29, 23, 1, 2, 345678)
    rows = [
        ValueRow("v" * 40, "builtins.int", "application/python-pickle", b"\x80\x03K\x01."),
        TaskRow("t" * 40, "main", "ns", "def main(): pass"),
        ExecutionRow("e1", "j1", '["redun", "run"]', naive),
        JobStartRow("j1", "e1", None, "t" * 40, naive),
        JobEndRow("j1", None, naive, True),
        TagRow("h" * 40, "Execution", "e1", "env", {"b": [1, 2]}),
        TagRow("g" * 40, "Execution", "e1", "env", {"b": 3}, parents=("h" * 40,)),
    ]
    assert _stored_direct(tmp_path / "direct.db", rows) == _stored(
        tmp_path / "slow.db", rows, fast=False
    )


def _many_jobs(n: int) -> tuple[list, list]:
    when = datetime(2026, 11, 30, 1, 2, 3, 456789)
    head = [
        ValueRow("v" * 40, "builtins.int", "application/python-pickle", b"\x80\x03K\x01."),
        TaskRow("t" * 40, "main", "ns", "def main(): pass"),
        ExecutionRow("e1", "j0", '["redun", "run"]', when),
    ]
    starts = [JobStartRow(f"j{i}", "e1", None, "t" * 40, when) for i in range(n)]
    ends = [JobEndRow(f"j{i}", None, when, i % 2 == 0) for i in range(n)]
    return head + starts, ends


def _stored_in_two_batches(path, first, second, direct: bool) -> list[list[tuple]]:
    if direct:
        RedunBackendDb(f"sqlite:///{path}").load()  # schema first: the next load goes direct
    backend = RedunBackendDb(f"sqlite:///{path}")
    backend.load()
    if not direct:
        backend._writer._insert_rows = None  # the generic SQLAlchemy executemany
    for rows in (first, second):
        backend.write(rows)
        backend.flush()  # separate commits: the ends are updates of committed rows
    backend.close()
    return _tables(path, ("value", "task", "execution", "job"))


@pytest.mark.parametrize("update_from", [True, False])
def test_multi_row_statements_split_at_the_variable_limit(tmp_path, monkeypatch, update_from):
    """Rows beyond one statement's bound-variable limit and job ends arriving after their
    starts were committed are all stored, with and without SQLite's UPDATE ... FROM."""
    from redun.backends.db import sqlite_bulk, sqlite_direct

    monkeypatch.setattr(sqlite_direct, "variable_limit", lambda conn: 20)
    monkeypatch.setattr(sqlite_bulk, "UPDATE_FROM", update_from)
    first, second = _many_jobs(47)
    direct = _stored_in_two_batches(tmp_path / "direct.db", first, second, direct=True)
    slow = _stored_in_two_batches(tmp_path / "slow.db", first, second, direct=False)
    assert direct == slow
    jobs = direct[3]
    assert len(jobs) == 47
    assert all(job[2] == "2026-11-30 01:02:03.456789" for job in jobs)  # end_time updated
    assert sorted(job[4] for job in jobs) == [0] * 23 + [1] * 24  # cached from the end rows


def test_statements_come_in_few_reused_shapes():
    """Every batch size is covered exactly, by at most nine statement shapes per table,
    so the connection's statement cache reuses them instead of filling with one-off
    multi-megabyte programs (the 100,000-job fan-out's peak memory)."""
    from redun.backends.db.sqlite_bulk import MAX_ROWS, insert_statements, statement_sizes

    shapes = set()
    for count in range(0, 3 * MAX_ROWS + 7):
        sizes = list(statement_sizes(count, 7, 32766))
        assert sum(sizes) == count
        assert all(0 < size <= MAX_ROWS for size in sizes)
        shapes.update(sizes)
    assert len(shapes) <= 9
    # A narrow variable limit still splits by it.
    assert list(statement_sizes(10, 8, 24)) == [3, 3, 3, 1]

    rows = [{"hash": f"{i:040x}", "name": "t", "namespace": "", "source": ""} for i in range(300)]
    statements = list(insert_statements("task", rows, 32766))
    assert [sql.count("(?") for sql, _ in statements] == [256, 32, 8, 4]
    assert sum(len(params) for _, params in statements) == 300 * 4
