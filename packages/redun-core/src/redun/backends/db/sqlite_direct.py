"""The SQLite fast path: a repository at the current schema read and written through the
DBAPI, so ``redun run`` never imports SQLAlchemy (about 0.2 s of every run).

Only what a run needs lives here: the schema version check, the batched cache reads and
the writer's connection. Creating or migrating a schema, and every other command
(``redun log``, ``push``, ...), go through SQLAlchemy as before.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from redun.backends.db.engine import BUSY_TIMEOUT_S, database_error
from redun.backends.db.sqlite_bulk import insert_statements, update_statements, variable_limit
from redun.backends.db.sqlite_schema import INSERT_ORDER
from redun.backends.db.sqlite_values import store_bool, store_datetime
from redun.backends.db.versions import DBVersionInfo, read_version_rows

if TYPE_CHECKING:
    from redun.backends.db.writer import Batch

CHUNK = 500
CACHE_KIB = 16 * 1024


def open_sqlite(path: str) -> sqlite3.Connection:
    """A DBAPI connection with the settings every redun connection uses."""
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
    conn.isolation_level = None  # explicit BEGIN/COMMIT
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA synchronous = NORMAL")
    # Job ids are random UUIDs: each insert lands on a random page of the job table's
    # indexes, so a repository with many runs outgrows SQLite's 2 MB default page cache.
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    return conn


def create_schema_if_empty(conn: sqlite3.Connection) -> bool:
    """Create the latest schema in an empty database file, as SQLAlchemy would (same DDL,
    same version rows); False if the file already holds tables (left untouched).

    Checked and created under one write lock, so concurrent first runs create it once.
    """
    import uuid
    from datetime import UTC, datetime

    from redun.backends.db.sqlite_ddl_statements import STATEMENTS
    from redun.backends.db.versions import LATEST

    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' LIMIT 1").fetchone():
            conn.execute("ROLLBACK")
            return False
        for statement in STATEMENTS:
            conn.execute(statement)
        conn.execute("INSERT INTO alembic_version (version_num) VALUES (?)", (LATEST.migration_id,))
        conn.execute(
            "INSERT INTO redun_version (id, version, timestamp) VALUES (?, ?, ?)",
            (str(uuid.uuid4()), LATEST.major, store_datetime(datetime.now(UTC))),
        )
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return True


def read_version(conn: sqlite3.Connection) -> tuple[DBVersionInfo, set[str]]:
    """The schema version (read as ``versions.read_db_version`` does) and the table names."""
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    return read_version_rows(lambda sql: conn.execute(sql).fetchall(), names), names


class DirectReader:
    """Batched cache reads on one connection (the scheduler thread's).

    A damaged file surfaces as a one-line ``BackendError`` (``database_error``), never as
    a bare ``sqlite3.DatabaseError``.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.conn = open_sqlite(path)
        self._lock = threading.Lock()

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self._lock:
            try:
                yield
            except sqlite3.DatabaseError as exc:
                raise database_error(self.path, exc) from exc

    def close(self) -> None:
        self.conn.close()

    def _select(self, sql: str, keys: Sequence[str]) -> list[tuple]:
        rows: list[tuple] = []
        unique = list(dict.fromkeys(keys))
        with self._locked():
            for start in range(0, len(unique), CHUNK):
                part = unique[start : start + CHUNK]
                marks = ", ".join("?" for _ in part)
                rows.extend(self.conn.execute(sql.format(marks=marks), part).fetchall())
        return rows

    def rows(self, sql: str, params: Any) -> list[tuple]:
        """Any read query (named ``:params``), e.g. the savings report after a run."""
        with self._lock:
            return self.conn.execute(sql, dict(params)).fetchall()

    def evaluations(self, eval_hashes: Sequence[str]) -> dict[str, str]:
        sql = "SELECT eval_hash, value_hash FROM evaluation WHERE eval_hash IN ({marks})"
        return dict(self._select(sql, eval_hashes))

    def values(self, value_hashes: Sequence[str]) -> dict[str, tuple[str, str, bytes]]:
        sql = "SELECT value_hash, type, format, value FROM value WHERE value_hash IN ({marks})"
        return {row[0]: (row[1], row[2], row[3]) for row in self._select(sql, value_hashes)}

    def existing_call_nodes(self, call_hashes: Sequence[str]) -> set[str]:
        """Those of ``call_hashes`` recorded and not hidden by a `redun gc` in progress."""
        from redun.backends.db.gc_mark import is_hidden

        sql = "SELECT call_hash, args_hash FROM call_node WHERE call_hash IN ({marks})"
        rows = self._select(sql, call_hashes)
        return {call_hash for call_hash, args_hash in rows if not is_hidden(args_hash)}

    def call_nodes(
        self, task_hash: str, args_hash: str
    ) -> list[tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
        with self._locked():
            nodes = self.conn.execute(
                "SELECT call_hash, value_hash FROM call_node WHERE task_hash = ? "
                "AND args_hash = ? ORDER BY timestamp DESC",
                (task_hash, args_hash),
            ).fetchall()
        subtree: dict[str, list[str]] = {call_hash: [] for call_hash, _ in nodes}
        sql = "SELECT call_hash, task_hash FROM call_subtree_task WHERE call_hash IN ({marks})"
        for call_hash, sub_task in self._select(sql, list(subtree)):
            subtree[call_hash].append(sub_task)
        contexts: dict[str, list[str]] = {call_hash: [] for call_hash, _ in nodes}
        sql = (
            "SELECT entity_id, value FROM tag WHERE key = 'redun.context' "
            "AND entity_id IN ({marks})"
        )
        for call_hash, value in self._select(sql, list(contexts)):
            contexts[call_hash].append(json.loads(value))
        return [(c, v, tuple(sorted(subtree[c])), tuple(contexts[c])) for c, v in nodes]


class DirectConnection:
    """What the writer needs of a connection, over a DBAPI SQLite connection."""

    is_direct = True
    dialect = SimpleNamespace(name="sqlite")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.limit = variable_limit(conn)

    def execution_options(self, **_: Any) -> DirectConnection:
        return self

    @contextmanager
    def begin(self) -> Iterator[DirectConnection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def commit_batch(self, batch: Batch) -> None:
        execute, limit = self.conn.execute, self.limit
        for name in INSERT_ORDER:
            rows = batch.inserts[name]
            if rows:
                for sql, params in insert_statements(name, rows, limit):
                    execute(sql, params)
        updates = [
            ("evaluation", "eval_hash", ("value_hash",), list(batch.evaluation_updates.items())),
            (
                "job",
                "id",
                ("call_hash", "end_time", "cached"),
                [
                    (
                        e["b_id"],
                        e["b_call_hash"],
                        store_datetime(e["b_end_time"]),
                        store_bool(e["b_cached"]),
                    )
                    for e in batch.job_ends
                ],
            ),
            (
                "execution",
                "id",
                ("updated_time",),
                [(u["b_id"], store_datetime(u["b_time"])) for u in batch.execution_updates],
            ),
            ("tag", "tag_hash", ("is_current",), [(t["b_hash"], 0) for t in batch.stale_tags]),
            ("handle", "hash", ("is_valid",), [(h["b_hash"], 1) for h in batch.valid_handles]),
        ]
        for table, key, columns, tuples in updates:
            for sql, params in update_statements(table, key, columns, tuples, limit):
                execute(sql, params)


class DirectEngine:
    """Stands in for a SQLAlchemy engine in the writer: one DBAPI connection per connect."""

    dialect = SimpleNamespace(name="sqlite")

    def __init__(self, path: str) -> None:
        self.path = path

    @contextmanager
    def connect(self) -> Iterator[DirectConnection]:
        conn = open_sqlite(self.path)
        try:
            yield DirectConnection(conn)
        finally:
            conn.close()
