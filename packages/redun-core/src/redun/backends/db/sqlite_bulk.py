"""Idempotent bulk inserts for SQLite straight through the DBAPI.

SQLAlchemy's executemany processes every bound parameter through Python type objects
(timestamps, booleans, JSON); for the tens of thousands of rows of a large run that
per-parameter work dominated the writer thread and, through the GIL, the scheduler. Here
each column gets one converter producing exactly what SQLAlchemy would have stored, and
the rows go to ``sqlite3.Cursor.executemany`` as tuples.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Boolean

from redun.backends.db.types import JSON, DateTimeUTC, json_dumps

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.engine import Connection

Converter = Callable[[Any], Any]


def _datetime(value: Any) -> Any:
    # SQLAlchemy's SQLite DateTime storage: naive UTC, "YYYY-MM-DD HH:MM:SS.ffffff".
    if value is None or not isinstance(value, datetime):
        return value
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _boolean(value: Any) -> Any:
    return None if value is None else int(bool(value))


def _json(value: Any) -> Any:
    return json_dumps(value)


def _enum(value: Any) -> Any:
    return value.name if isinstance(value, enum.Enum) else value


def _converter(column: Any) -> Converter | None:
    column_type = column.type
    if isinstance(column_type, DateTimeUTC):
        return _datetime
    if isinstance(column_type, JSON):
        return _json
    if isinstance(column_type, Boolean):
        return _boolean
    if getattr(column_type, "enum_class", None) is not None:
        return _enum
    return None


_plans: dict[str, tuple[str, list[str], list[Converter | None]]] = {}


def _plan(table: Table) -> tuple[str, list[str], list[Converter | None]]:
    plan = _plans.get(table.name)
    if plan is None:
        names = [column.name for column in table.columns]
        quoted = ", ".join(f'"{name}"' for name in names)
        marks = ", ".join("?" for _ in names)
        sql = f'INSERT OR IGNORE INTO "{table.name}" ({quoted}) VALUES ({marks})'
        plan = _plans[table.name] = (sql, names, [_converter(c) for c in table.columns])
    return plan


def sqlite_insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """``INSERT OR IGNORE`` every row; rows lacking a column take the generic path."""
    sql, names, converters = _plan(table)
    if not all(name in rows[0] for name in names):
        from redun.backends.db.writer import insert_ignore

        conn.execute(insert_ignore(table, "sqlite"), rows)
        return
    pairs = list(zip(names, converters, strict=True))
    data = [
        tuple(row[name] if convert is None else convert(row[name]) for name, convert in pairs)
        for row in rows
    ]
    conn.exec_driver_sql(sql, data)
