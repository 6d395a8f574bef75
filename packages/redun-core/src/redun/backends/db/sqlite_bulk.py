"""Idempotent bulk inserts for SQLite straight through the DBAPI.

SQLAlchemy's executemany processes every bound parameter through Python type objects
(timestamps, booleans, JSON); for the tens of thousands of rows of a large run that
per-parameter work dominated the writer thread and, through the GIL, the scheduler. Here
each column gets one converter producing exactly what SQLAlchemy would have stored
(``sqlite_values``), and the rows go to ``executemany`` as tuples.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from redun.backends.db.sqlite_schema import COLUMNS
from redun.backends.db.sqlite_values import CONVERTERS

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.engine import Connection

_plans: dict[str, tuple[str, list[tuple[str, Callable[[Any], Any] | None]]]] = {}


def insert_plan(table_name: str) -> tuple[str, list[tuple[str, Callable[[Any], Any] | None]]]:
    """``(INSERT OR IGNORE sql, [(column, converter)])`` for a table."""
    plan = _plans.get(table_name)
    if plan is None:
        columns = COLUMNS[table_name]
        quoted = ", ".join(f'"{name}"' for name, _ in columns)
        marks = ", ".join("?" for _ in columns)
        sql = f'INSERT OR IGNORE INTO "{table_name}" ({quoted}) VALUES ({marks})'
        plan = _plans[table_name] = (sql, [(name, CONVERTERS[kind]) for name, kind in columns])
    return plan


def insert_tuples(table_name: str, rows: list[dict[str, Any]]) -> tuple[str, list[tuple]] | None:
    """The SQL and parameter tuples for ``rows``; None if a row lacks a column."""
    sql, pairs = insert_plan(table_name)
    if not all(name in rows[0] for name, _ in pairs):
        return None
    get = itemgetter(*(name for name, _ in pairs))
    if len(pairs) == 1:
        return sql, [(get(row),) for row in rows]
    converted = [(i, convert) for i, (_, convert) in enumerate(pairs) if convert is not None]
    if not converted:
        return sql, [get(row) for row in rows]
    data = []
    for row in rows:
        values = list(get(row))
        for i, convert in converted:
            values[i] = convert(values[i])
        data.append(tuple(values))
    return sql, data


def sqlite_insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """``INSERT OR IGNORE`` every row; rows lacking a column take the generic path."""
    planned = insert_tuples(table.name, rows)
    if planned is None:
        from redun.backends.db.writer import insert_ignore

        conn.execute(insert_ignore(table, "sqlite"), rows)
        return
    conn.exec_driver_sql(*planned)
