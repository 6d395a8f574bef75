"""SQLite as a ``SqlDialect``: a file (or memory) that processes share through its locks.

Transactions that change the schema take the write lock up front (``BEGIN IMMEDIATE``);
lock contention that outlasts the busy timeout is retried (``LOCK_RETRY``); rows go in as
multi-row ``INSERT OR IGNORE`` statements (``sqlite_bulk``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import TYPE_CHECKING, Any

from redun.backends.db.engine import (
    IMMEDIATE,
    LOCK_RETRY,
    check_sqlite_file,
    create_sqlite_engine,
    database_error,
    sqlite_path,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine


class SqliteDialect:
    """A SQLite database at ``db_uri`` (``sqlite:///path`` or ``sqlite:///:memory:``).

    ``path`` is the file, or None in memory, where the writer and the readers share one
    connection and so take turns under ``lock``.
    """

    automigrate = True
    foreign_database_hint = "point [backend] db_uri at another file"
    retry = LOCK_RETRY

    def __init__(self, db_uri: str) -> None:
        self.db_uri = db_uri
        self.path = sqlite_path(db_uri)
        self.where = self.path or db_uri
        self.lock: AbstractContextManager[Any] = (
            threading.RLock() if self.path is None else nullcontext()
        )

    def connect(self) -> Engine:
        if self.path is not None:
            check_sqlite_file(self.path)
        return create_sqlite_engine(self.db_uri)

    @contextmanager
    def transaction(self, engine: Engine, immediate: bool = False) -> Iterator[Connection]:
        from sqlalchemy.exc import DatabaseError

        try:
            with self.lock, engine.connect() as conn:
                if immediate:
                    conn = conn.execution_options(**{IMMEDIATE: True})
                with conn.begin():
                    yield conn
        except DatabaseError as exc:
            raise database_error(self.where, exc) from exc

    def insert_rows(self, conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
        from redun.backends.db.sqlite_bulk import sqlite_insert_rows

        sqlite_insert_rows(conn, table, rows)
