"""Idempotent bulk inserts and updates for SQLite straight through the DBAPI.

Two costs shaped this module. SQLAlchemy's executemany processes every bound parameter
through Python type objects; here each column gets one converter producing exactly what
SQLAlchemy would have stored (``sqlite_values``). And ``executemany`` releases the GIL
around every row's ``sqlite3_step``: while the scheduler thread is busy, the writer then
waits for the GIL once per row (measured: 5,000 job rows took 30 s beside a busy thread,
0.1 s as multi-row statements). So rows go in as ``INSERT ... VALUES (...), (...)``
statements of as many rows as SQLite's bound-variable limit allows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from redun.backends.db.sqlite_schema import COLUMNS
from redun.backends.db.sqlite_values import CONVERTERS

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.engine import Connection

# SQLite's compiled-in default before 3.32 (later versions allow 32,766).
LEGACY_VARIABLE_LIMIT = 999
# SQLite learned UPDATE ... FROM in 3.33.
UPDATE_FROM = sqlite3.sqlite_version_info >= (3, 33, 0)

_Plan = tuple[str, str, int, Callable[[dict], tuple]]
_first = itemgetter(0)
# Listed by `redun log --value/--task`, `redun tag list`, ... in stored (rowid) order.
RECORDING_ORDER = frozenset({"value", "task", "tag", "handle", "execution"})
_plans: dict[tuple[str, tuple[str, ...]], _Plan] = {}
# Most rows one statement carries (see ``statement_sizes``); SQLite's per-row cost is the
# same in a 256-row statement as in a 4,000-row one.
MAX_ROWS = 256
_statements: dict[tuple[str, str, int], str] = {}


def variable_limit(conn: sqlite3.Connection) -> int:
    """How many ``?`` one statement may bind on this connection."""
    try:
        return conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    except (AttributeError, sqlite3.Error):  # pragma: no cover - Python < 3.11
        return LEGACY_VARIABLE_LIMIT


def _plan(table_name: str, present: tuple[str, ...]) -> _Plan:
    """Statement head, one row's placeholders, the column count and a row->tuple function
    applying each column's storage conversion, for the columns that rows carry."""
    key = (table_name, present)
    plan = _plans.get(key)
    if plan is None:
        columns = [(name, kind) for name, kind in COLUMNS[table_name] if name in present]
        quoted = ", ".join(f'"{name}"' for name, _ in columns)
        head = f'INSERT OR IGNORE INTO "{table_name}" ({quoted}) VALUES '
        marks = "(" + ", ".join("?" for _ in columns) + ")"
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

        plan = _plans[key] = (head, marks, len(columns), to_tuple)
    return plan


def statement_sizes(count: int, width: int, limit: int) -> Iterator[int]:
    """Row counts of the statements that insert ``count`` rows of ``width`` columns.

    Python's sqlite3 keeps up to 128 prepared statements per connection, each holding
    its compiled program and its last bound values. A statement sized to whatever rows
    a batch had is prepared afresh nearly every batch, and the cache fills with
    hundreds of ~3 MB programs (measured: 67 MB of a 30,000-job run's 271 MB peak). So
    statements are at most ``MAX_ROWS`` rows and a remainder is split into powers of
    two: a table needs at most nine shapes, each prepared once and reused.
    """
    per = max(1, min(MAX_ROWS, limit // max(1, width)))
    full, rest = divmod(count, per)
    yield from (per for _ in range(full))
    size = 1 << max(0, rest.bit_length() - 1)
    while rest:
        if rest >= size:
            yield size
            rest -= size
        size >>= 1


def multi_row(
    head: str, marks: str, tuples: list[tuple], width: int, limit: int
) -> Iterator[tuple[str, list[Any]]]:
    """``head`` + groups of ``marks``, in the statement shapes of ``statement_sizes``."""
    for size, params in _parts(tuples, width, limit):
        yield _sql(head, marks, size), params


def _parts(tuples: list[tuple], width: int, limit: int) -> Iterator[tuple[int, list[Any]]]:
    """Each statement's row count and its flattened parameters."""
    start = 0
    for size in statement_sizes(len(tuples), width, limit):
        part = tuples[start : start + size]
        start += size
        yield size, [value for row in part for value in row]


def _sql(head: str, marks: str, rows: int) -> str:
    key = (head, marks, rows)
    sql = _statements.get(key)
    if sql is None:
        sql = _statements[key] = head + ",".join([marks] * rows)
    return sql


def insert_statements(
    table_name: str, rows: list[dict[str, Any]], limit: int
) -> Iterator[tuple[str, list[Any]]]:
    """Idempotent multi-row inserts of ``rows`` (columns a row leaves out take defaults).

    Rows of most tables go in key order (every table's first column leads its primary
    key): job ids and hashes are random, and visiting index pages in order rather than
    at random cut a 5,000-job insert by ~30%. The sort is stable, so the first of
    duplicate rows still wins; SQLite does not check foreign keys, so parents need not
    come first. Tables that commands list in stored order (values, tasks, tags, as
    upstream redun lists them: in the order they were recorded) keep recording order.
    """
    head, marks, width, to_tuple = _plan(table_name, tuple(rows[0]))
    tuples = [to_tuple(row) for row in rows]
    if table_name not in RECORDING_ORDER:
        tuples.sort(key=_first)
    return multi_row(head, marks, tuples, width, limit)


def update_statements(
    table: str, key: str, columns: tuple[str, ...], tuples: list[tuple], limit: int
) -> Iterator[tuple[str, list[Any]]]:
    """Set ``columns`` on rows matched by ``key``; each tuple is (key, *column values).

    One ``UPDATE ... FROM (VALUES ...)`` per chunk where SQLite has it, else one
    statement per row (older SQLite).
    """
    if not tuples:
        return
    width = len(columns) + 1
    if not UPDATE_FROM:
        assignments = ", ".join(f'"{c}" = ?' for c in columns)
        sql = f'UPDATE "{table}" SET {assignments} WHERE "{key}" = ?'
        for row in tuples:
            yield sql, [*row[1:], row[0]]
        return
    assignments = ", ".join(f'"{c}" = v.column{i + 2}' for i, c in enumerate(columns))
    marks = "(" + ", ".join("?" for _ in range(width)) + ")"
    head = f'UPDATE "{table}" SET {assignments} FROM (VALUES '
    tail = f') AS v WHERE "{table}"."{key}" = v.column1'
    for size, params in _parts(tuples, width, limit):
        yield _sql(head, marks, size) + tail, params


def sqlite_insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """``INSERT OR IGNORE`` every row through the DBAPI, in multi-row statements."""
    limit = variable_limit(conn.connection.dbapi_connection)
    for sql, params in insert_statements(table.name, rows, limit):
        conn.exec_driver_sql(sql, tuple(params))
