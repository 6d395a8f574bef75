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

_plans: dict[tuple[str, tuple[str, ...]], tuple[str, Callable[[dict], tuple]]] = {}


def _plan(table_name: str, present: tuple[str, ...]) -> tuple[str, Callable[[dict], tuple]]:
    """``INSERT OR IGNORE`` over the table's columns that rows carry, and a row->tuple
    function applying each column's storage conversion."""
    key = (table_name, present)
    plan = _plans.get(key)
    if plan is None:
        columns = [(name, kind) for name, kind in COLUMNS[table_name] if name in present]
        quoted = ", ".join(f'"{name}"' for name, _ in columns)
        marks = ", ".join("?" for _ in columns)
        sql = f'INSERT OR IGNORE INTO "{table_name}" ({quoted}) VALUES ({marks})'
        getter = itemgetter(*(name for name, _ in columns))
        converted = [(i, CONVERTERS[kind]) for i, (_, kind) in enumerate(columns) if kind]
        if len(columns) == 1:

            def to_tuple(row: dict) -> tuple:
                return (getter(row),)

        elif not converted:
            to_tuple = getter
        else:

            def to_tuple(row: dict) -> tuple:
                values = list(getter(row))
                for i, convert in converted:
                    values[i] = convert(values[i])
                return tuple(values)

        plan = _plans[key] = (sql, to_tuple)
    return plan


def insert_tuples(table_name: str, rows: list[dict[str, Any]]) -> tuple[str, list[tuple]]:
    """The SQL and parameter tuples for ``rows`` (columns a row leaves out take defaults)."""
    sql, to_tuple = _plan(table_name, tuple(rows[0]))
    return sql, [to_tuple(row) for row in rows]


def sqlite_insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """``INSERT OR IGNORE`` every row through the DBAPI."""
    conn.exec_driver_sql(*insert_tuples(table.name, rows))
