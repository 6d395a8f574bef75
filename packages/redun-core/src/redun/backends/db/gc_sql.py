"""Plain SQL for `redun gc` on one connection, worded for SQLite or PostgreSQL.

The collector keeps its marks in temporary tables of keys (one column, ``k``), so the
repository's schema stays upstream's; this module creates them and fills them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from redun.backends.db.sqlite_schema import INSERT_ORDER

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

CHUNK = 500
# The kept marks, two scratch frontiers for walking graphs level by level, and the
# doomed keys of each table that loses rows.
TEMP_TABLES = (
    "gc_exec",
    "gc_call",
    "gc_eval",
    "gc_value",
    "gc_front",
    "gc_next",
    "gc_doomed_exec",
    "gc_doomed_job",
    "gc_doomed_call",
    "gc_doomed_eval",
    "gc_doomed_value",
)
# Every table a sweep reads or deletes from, in the order writers insert into them
# (PostgreSQL: taking the locks in the writers' order cannot deadlock with a writer).
LOCKED_TABLES = INSERT_ORDER


class GcSql:
    """One connection inside one transaction, with the collector's temporary tables."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.pg = conn.dialect.name == "postgresql"

    def run(self, sql: str, params: dict | None = None) -> Any:
        from sqlalchemy import text

        return self.conn.execute(text(sql), params or {})

    def rows(self, sql: str, params: dict | None = None) -> list[tuple]:
        return [tuple(row) for row in self.run(sql, params)]

    def count(self, sql: str, params: dict | None = None) -> int:
        return int(self.rows(sql, params)[0][0] or 0)

    def insert(self, table: str, select: str, params: dict | None = None) -> int:
        """Insert the keys ``select`` yields into a temporary table, skipping duplicates;
        returns how many were new."""
        if self.pg:
            sql = f"INSERT INTO {table} {select} ON CONFLICT DO NOTHING"
        else:
            sql = f"INSERT OR IGNORE INTO {table} {select}"
        return self.run(sql, params).rowcount or 0

    def insert_keys(self, table: str, keys: Sequence[str]) -> None:
        for start in range(0, len(keys), CHUNK):
            names = {f"k{i}": key for i, key in enumerate(keys[start : start + CHUNK])}
            values = ", ".join(f"(:{name})" for name in names)
            self.insert(table, f"(k) VALUES {values}", names)

    def create_temp_tables(self) -> None:
        for table in TEMP_TABLES:
            if self.pg:
                self.run(f"CREATE TEMP TABLE {table} (k VARCHAR PRIMARY KEY) ON COMMIT DROP")
            else:
                self.run(f"DROP TABLE IF EXISTS temp.{table}")
                self.run(f"CREATE TEMP TABLE {table} (k VARCHAR PRIMARY KEY)")

    def drop_temp_tables(self) -> None:
        """SQLite keeps temporary tables for the connection's life (a pooled one lives
        on); PostgreSQL's go at commit."""
        if not self.pg:
            for table in TEMP_TABLES:
                self.run(f"DROP TABLE IF EXISTS temp.{table}")

    def clear_temp_tables(self) -> None:
        for table in TEMP_TABLES:
            self.run(f"DELETE FROM {table}")

    def lock_out_writers(self) -> None:
        """Make this transaction the only writer until it ends.

        SQLite: already so (the transaction began IMMEDIATE). PostgreSQL: SHARE ROW
        EXCLUSIVE conflicts with the ROW EXCLUSIVE lock every INSERT, UPDATE and DELETE
        takes, and not with reads, so runs keep reading and wait to write.
        """
        if self.pg:
            self.run(f"LOCK TABLE {', '.join(LOCKED_TABLES)} IN SHARE ROW EXCLUSIVE MODE")
