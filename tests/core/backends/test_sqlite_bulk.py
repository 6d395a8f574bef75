"""The DBAPI fast path stores exactly what SQLAlchemy's typed insert would."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from redun.backends.db import RedunBackendDb
from redun.backends.records import (
    ExecutionRow,
    JobEndRow,
    JobStartRow,
    TagRow,
    TaskRow,
    ValueRow,
)


def _stored(path, rows, fast: bool) -> list[list[tuple]]:
    backend = RedunBackendDb(f"sqlite:///{path}")
    backend.load()
    if not fast:
        backend._writer._insert_rows = None  # the generic SQLAlchemy executemany
    backend.write(rows)
    backend.flush()
    backend.close()
    with sqlite3.connect(path) as conn:
        return [
            conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("value", "task", "execution", "job", "tag")
        ]


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
