"""The SQLite provenance backend: redun's default repository, a file on this machine.

``RedunBackendDb`` (upstream's name, which user code and redun.ini's ``db_uri =
sqlite:///...`` reach) is ``SqlBackend`` on the SQLite dialect plus what only a file
has: opening a file this process may not write for reading only, the DBAPI fast path
that spares a run from importing SQLAlchemy, and folding the WAL into the file when a
run ends. PostgreSQL is its sibling in redun-postgres, on the same ``SqlBackend``.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ClassVar

from redun.backends.db.engine import (
    MEMORY_URI,
    check_sqlite_file,
    checkpoint_wal,
    create_sqlite_engine,
    enable_wal,
    is_writable,
    read_only_uri,
    resolve_sqlite_uri,
)
from redun.backends.db.sql_backend import SqlBackend, log_schema_created
from redun.backends.db.sqlite_dialect import SqliteDialect
from redun.backends.db.versions import NULL_VERSION, is_compatible
from redun.errors import BackendError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from redun.backends.records import Row


class RedunBackendDb(SqlBackend):
    """Provenance and cache store in a SQLite database (schema 3.5, upstream-compatible).

    Parameters
    ----------
    db_uri : str, optional
        ``sqlite:///path`` (relative paths are relative to ``config_dir``) or
        ``sqlite:///:memory:``, the default, used by a bare ``Scheduler()``. Another
        database is chosen by its scheme in ``[backend] db_uri`` (``postgresql://``
        selects redun-postgres's backend).
    config : Mapping, optional
        The ``[backend]`` section; ``db_uri`` and ``automigrate`` (default true) are read
        from it.
    config_dir : str, optional
        Directory of the redun.ini the section came from.
    """

    schemes: ClassVar[tuple[str, ...]] = ("sqlite",)

    def __init__(
        self,
        db_uri: str | None = None,
        config: Mapping[str, Any] | None = None,
        config_dir: str | None = None,
    ) -> None:
        config = config or {}
        uri = db_uri or config.get("db_uri") or MEMORY_URI
        scheme = uri.split(":", 1)[0].split("+", 1)[0]
        if scheme != "sqlite":
            raise BackendError(
                f"RedunBackendDb opens sqlite:/// databases, not {scheme}://; put the URI in "
                "[backend] db_uri, where its scheme picks the backend (postgresql:// needs "
                "redun-postgres)"
            )
        self.dialect: SqliteDialect = SqliteDialect(resolve_sqlite_uri(uri, config_dir))
        super().__init__(self.dialect, config, config_dir)
        if config_dir is None and uri.startswith("sqlite:///") and uri != "sqlite:///":
            # Upstream reports the URI as configured when no config dir anchors it; the
            # connection still uses the path resolved now, so a later chdir cannot move it.
            self.db_uri = uri
        self.path = self.dialect.path
        # A file this process may not write: opened for reading only (_load_read_only).
        self.read_only = False

    # -- opening -----------------------------------------------------------------------

    def load(self, migrate: bool | None = None) -> None:
        """Connect; create a missing schema, migrate an old one if allowed, refuse a new one.

        A file at the current schema is opened through the DBAPI alone; a file this
        process may not write, for reading only.
        """
        if self._loaded and not self._version_stale:
            return
        if not self._loaded and (self._load_read_only() or self._load_direct()):
            return
        super().load(migrate)

    def _load_read_only(self) -> bool:
        """Open a file we may not write (a shared or archived repository) for reading only.

        ``redun log``, ``redun console`` and cache reads work; nothing is created,
        migrated or switched to WAL, and ``write`` refuses with a one-line error.
        """
        from redun.backends.db.migrate import table_names
        from redun.backends.db.versions import read_db_version

        if self.path is None or not os.path.exists(self.path) or is_writable(self.path):
            return False
        check_sqlite_file(self.path)
        self.read_only = True
        self.engine = create_sqlite_engine(read_only_uri(self.path))
        with self.transaction() as conn:
            version = read_db_version(conn, table_names(conn))
        if version == NULL_VERSION:
            raise BackendError(
                f"database {self.where} has no redun schema and is read-only: check "
                "[backend] db_uri and the file's permissions"
            )
        if not is_compatible(version):
            self._upgrade_or_refuse(version, migrate=False)
        self._loaded = True
        return True

    def _load_direct(self) -> bool:
        """Open an existing file at a supported schema through the DBAPI only.

        Anything else (no file yet, no schema, a version to migrate or refuse) returns
        False and ``load`` takes the SQLAlchemy path, which owns those decisions.
        """
        from redun.backends.db.sqlite_direct import (
            create_schema_if_empty,
            open_sqlite,
            read_version,
        )

        if self.path is None:
            return False
        new = not os.path.exists(self.path) or os.path.getsize(self.path) == 0
        if new and not os.path.isdir(os.path.dirname(os.path.abspath(self.path))):
            return False  # the SQLAlchemy path reports it
        if not new:
            check_sqlite_file(self.path)
        try:
            conn = open_sqlite(self.path)
        except sqlite3.DatabaseError:
            return False  # the SQLAlchemy path reports it
        try:
            # A first run: the schema from static DDL, without importing SQLAlchemy.
            if new and create_schema_if_empty(conn):
                log_schema_created()
            version, _ = read_version(conn)
            if version == NULL_VERSION or not is_compatible(version):
                return False
            conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.DatabaseError:
            return False
        finally:
            conn.close()
        self._use_direct_io()
        self._opened()
        return True

    def _start_writer(self) -> None:
        """A file switches to WAL once its schema is accepted (a refused file is left
        byte-for-byte untouched), then writes through the DBAPI fast path."""
        if self.path is None:
            super()._start_writer()
            return
        enable_wal(self.connect())
        self._use_direct_io()

    def _use_direct_io(self) -> None:
        """Cache reads and the writer through the DBAPI (a file at the current schema)."""
        from redun.backends.db.sqlite_direct import DirectEngine, DirectReader
        from redun.backends.db.writer import Writer

        assert self.path is not None
        self._reader = DirectReader(self.path)
        self._writer = Writer(DirectEngine(self.path), self.dialect.lock)

    # -- writes and closing --------------------------------------------------------------

    def write(self, rows: Iterable[Row]) -> None:
        """Queue rows for the writer thread; returns without touching the database."""
        if self.read_only:
            raise BackendError(
                f"database {self.where} is read-only (no write permission on the file or "
                "its directory): runs cannot be recorded there; fix the permissions or use "
                "another repository"
            )
        self._end_session_transaction()
        super().write(rows)

    def _end_session_transaction(self) -> None:
        """An in-memory database is one connection: a user's open transaction on it
        (``scheduler.backend.session``) would make our BEGIN fail. Commit it first."""
        session = self._session
        if session is not None and self.path is None and session.in_transaction():
            with self.dialect.lock:
                session.commit()

    @contextmanager
    def transaction(self, immediate: bool = False) -> Iterator[Connection]:
        self._end_session_transaction()
        with super().transaction(immediate) as conn:
            yield conn

    def checkpoint(self) -> None:
        """Commit everything queued and fold the WAL into the database file, so that the
        file alone holds the record (``redun run`` calls this when its run ends; the
        backend stays open). A no-op for a backend that wrote nothing."""
        if self._writer is None or not self._writer.wrote or self.path is None:
            return
        self._writer.flush()
        checkpoint_wal(self.path)

    def close(self) -> None:
        """Flush and stop the writer, release connections, then checkpoint the WAL of a
        file this backend wrote to, so the file alone holds the record. Idempotent."""
        wrote = self._writer is not None and self._writer.wrote
        super().close()
        if wrote and self.path is not None:
            checkpoint_wal(self.path)

    @property
    def dialect_name(self) -> str:
        """``sqlite`` (known without opening SQLAlchemy, for the fast path)."""
        return "sqlite"
