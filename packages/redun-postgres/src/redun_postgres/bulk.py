"""Bulk inserts for PostgreSQL: one statement per table, whatever the number of rows.

``executemany`` sends one INSERT per row (35,000 for a 5,000-job fan-out). Passing each
column as an array and inserting ``SELECT * FROM unnest(...)`` sends one statement per
table with one parameter per column, so the server does the per-row work. Foreign
keys are checked at the end of the statement, so rows referring to each other (a
parent job and its children) may share one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from redun.backends.db.types import json_dumps

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.sql.schema import Table

_SQL_CACHE: dict[tuple[str, tuple[str, ...]], tuple[str, list[Any]]] = {}


def _statement(conn: Connection, table: Table, names: tuple[str, ...]) -> tuple[str, list[Any]]:
    key = (table.name, names)
    cached = _SQL_CACHE.get(key)
    if cached is None:
        dialect = conn.dialect
        preparer = dialect.identifier_preparer
        columns = [table.c[name] for name in names]
        types = [column.type.compile(dialect=dialect) for column in columns]
        arrays = ", ".join(f"%s::{type_name}[]" for type_name in types)
        sql = (
            f"INSERT INTO {preparer.format_table(table)} "
            f"({', '.join(preparer.format_column(column) for column in columns)}) "
            f"SELECT * FROM unnest({arrays}) ON CONFLICT DO NOTHING"
        )
        # JSON goes as text (cast by the server); other types adapt as they are.
        processors = [
            json_dumps if type_name == "JSONB" else column.type.bind_processor(dialect)
            for column, type_name in zip(columns, types, strict=True)
        ]
        cached = _SQL_CACHE[key] = (sql, processors)
    return cached


def insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """``INSERT ... SELECT * FROM unnest(arrays) ON CONFLICT DO NOTHING`` for ``rows``.

    Every row must have the same keys (the writer builds them so).
    """
    if not rows:
        return
    names = tuple(rows[0])
    sql, processors = _statement(conn, table, names)
    arrays = []
    for name, process in zip(names, processors, strict=True):
        column = [row[name] for row in rows]
        if process is not None:
            column = [process(item) for item in column]
        arrays.append(column)
    conn.exec_driver_sql(sql, tuple(arrays))
