"""The SQLite provenance backend: schema checks, write-behind writes, batched reads."""

from __future__ import annotations

import atexit
import os
import sqlite3
import threading
import weakref
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import TYPE_CHECKING, Any, ClassVar

from redun.backends.base import RedunBackend
from redun.backends.db.engine import (
    IMMEDIATE,
    MEMORY_URI,
    check_sqlite_file,
    checkpoint_wal,
    create_sqlite_engine,
    database_error,
    enable_wal,
    is_writable,
    read_only_uri,
    resolve_sqlite_uri,
    sqlite_path,
)
from redun.backends.db.versions import (
    LATEST,
    MAX_MAJOR,
    NULL_VERSION,
    SUPPORTED_RANGE,
    DBVersionInfo,
    is_compatible,
)
from redun.backends.records import CallNodeHit
from redun.errors import BackendError, DatabaseVersionError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

    from redun.backends.db.writer import Writer
    from redun.backends.records import Row

# SQLite allows 999 bound parameters in old builds; stay well below.
IN_CHUNK = 500


def _as_bool(text: Any) -> bool:
    return str(text).strip().lower() in ("1", "true", "yes", "on")


def chunks(items: Sequence[str], size: int = IN_CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class RedunBackendDb(RedunBackend):
    """Provenance and cache store in a SQLite database (schema 3.5, upstream-compatible).

    Parameters
    ----------
    db_uri : str, optional
        ``sqlite:///path`` (relative paths are relative to ``config_dir``) or
        ``sqlite:///:memory:``, the default, used by a bare ``Scheduler()``.
    config : Mapping, optional
        The ``[backend]`` section; ``db_uri`` and ``automigrate`` are read from it.
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
        self.config_dir = config_dir
        self.db_uri = resolve_sqlite_uri(db_uri or config.get("db_uri") or MEMORY_URI, config_dir)
        self.path = sqlite_path(self.db_uri)
        self.automigrate = _as_bool(config.get("automigrate", "true"))
        self.engine: Engine | None = None
        # An in-memory database is one connection shared by the writer and readers.
        self._lock: AbstractContextManager[Any] = (
            threading.RLock() if self.path is None else nullcontext()
        )
        self._writer: Writer | None = None
        self._loaded = False
        # A file this process may not write: opened for reading only (_load_read_only).
        self.read_only = False
        # The SQLite fast path (sqlite_direct): set when a run needs no SQLAlchemy.
        self._direct: Any = None
        self._session: Any = None

    @property
    def session(self) -> Any:
        """An ORM session (``RedunSession``) for querying this repository from Python.

        Opened on first use, after the writer has flushed what this process recorded.
        """
        if self._session is None:
            from redun.backends.db.session import open_session

            self._session = open_session(self)
        else:
            self.flush()
        return self._session

    @property
    def where(self) -> str:
        """How messages name this database."""
        return self.path or self.db_uri

    # -- connection and schema -------------------------------------------------------

    def connect(self) -> Engine:
        """Open the engine without looking at the schema (``redun db`` uses this)."""
        if self.engine is None:
            if self.path is not None:
                check_sqlite_file(self.path)
            self.engine = create_sqlite_engine(self.db_uri)
        return self.engine

    @contextmanager
    def transaction(self, immediate: bool = False) -> Iterator[Connection]:
        """A connection in a transaction, committed on success (write lock if immediate)."""
        from sqlalchemy.exc import DatabaseError

        engine = self.connect()
        try:
            with self._lock, engine.connect() as conn:
                if immediate:
                    conn = conn.execution_options(**{IMMEDIATE: True})
                with conn.begin():
                    yield conn
        except DatabaseError as exc:
            raise database_error(self.where, exc) from exc

    def get_db_version(self) -> DBVersionInfo:
        """The schema version of the database (``NULL_VERSION`` when it has none)."""
        from redun.backends.db.migrate import current_version

        with self.transaction() as conn:
            return current_version(conn)

    def load(self, migrate: bool | None = None) -> None:
        """Connect; create a missing schema, migrate an old one if allowed, refuse a new one."""
        from redun.backends.db.migrate import table_names
        from redun.backends.db.versions import read_db_version

        if self._loaded:
            return
        if self._load_read_only():
            return
        if self._load_direct():
            return
        with self.transaction() as conn:
            names = table_names(conn)
            version = read_db_version(conn, names)
        if version == NULL_VERSION:
            with self.transaction(immediate=True) as conn:
                names = table_names(conn)
                version = read_db_version(conn, names)
                if version == NULL_VERSION:
                    self._create_schema(conn, names)
                    version = LATEST
        if not is_compatible(version):
            self._upgrade_or_refuse(version, self.automigrate if migrate is None else migrate)
        if self.path is not None:
            enable_wal(self.connect())
        if not self._use_direct_io():
            self._start_writer()
        self._loaded = True
        _close_at_exit(self)

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
        import os

        from redun.backends.db.sqlite_direct import (
            create_schema_if_empty,
            open_sqlite,
            read_version,
        )

        if type(self) is not RedunBackendDb or self.path is None:
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
                _log_schema_created()
            version, _ = read_version(conn)
            if version == NULL_VERSION or not is_compatible(version):
                return False
            conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.DatabaseError:
            return False
        finally:
            conn.close()
        self._use_direct_io()
        self._loaded = True
        _close_at_exit(self)
        return True

    def _use_direct_io(self) -> bool:
        """Cache reads and the writer through the DBAPI (a file at the current schema)."""
        from redun.backends.db.sqlite_direct import DirectEngine, DirectReader
        from redun.backends.db.writer import Writer

        if type(self) is not RedunBackendDb or self.path is None:
            return False
        self._direct = DirectReader(self.path)
        self._writer = Writer(DirectEngine(self.path), self._lock)
        return True

    def _create_schema(self, conn: Connection, names: set[str]) -> None:
        """Create the latest schema in an empty database; refuse one holding other tables.

        Runs inside the write-locked transaction of ``load`` (dialects override it to say
        what "another database" means for them).
        """
        from redun.backends.db.migrate import create_schema

        if names:
            raise BackendError(
                f"database {self.where} has tables but is not a redun database; "
                "point [backend] db_uri at another file"
            )
        create_schema(conn)
        _log_schema_created()

    def _upgrade_or_refuse(self, version: DBVersionInfo, migrate: bool) -> None:
        if version.major > MAX_MAJOR:
            raise DatabaseVersionError(
                f"database at {self.where} is version {version}, newer than this redun "
                f"supports (<{MAX_MAJOR + 1}); upgrade redun"
            )
        if not migrate:
            raise DatabaseVersionError(
                f"database at {self.where} is version {version}, older than this redun "
                f"supports ({SUPPORTED_RANGE}); run `redun db upgrade`"
            )
        self.migrate(LATEST, upgrade_only=True)

    def migrate(self, desired: DBVersionInfo | None = None, upgrade_only: bool = False) -> bool:
        """Move the schema to ``desired`` (latest by default); False if nothing changed."""
        from redun.backends.db.migrate import current_version
        from redun.backends.db.migrate import migrate as run_migration

        desired = desired or LATEST
        with self.transaction(immediate=True) as conn:
            current = current_version(conn)
            if upgrade_only and desired.key <= current.key:
                return False
            return run_migration(conn, current, desired, self.where)

    def _start_writer(self) -> None:
        from redun.backends.db.sqlite_bulk import sqlite_insert_rows
        from redun.backends.db.writer import Writer

        if self._writer is None:
            self._writer = Writer(self.connect(), self._lock, insert_rows=sqlite_insert_rows)

    # -- writes ----------------------------------------------------------------------

    def write(self, rows: Iterable[Row]) -> None:
        """Queue rows for the writer thread; returns without touching the database."""
        if self.read_only:
            raise BackendError(
                f"database {self.where} is read-only (no write permission on the file or "
                "its directory): runs cannot be recorded there; fix the permissions or use "
                "another repository"
            )
        if self._writer is None:
            raise BackendError(f"database {self.where} is not loaded; call load() first")
        self._writer.write(rows)

    def flush(self) -> None:
        """Wait for queued rows to commit; raises ``BackendError`` if a write failed."""
        if self._writer is not None:
            self._writer.flush()

    def checkpoint(self) -> None:
        """Commit everything queued and fold the WAL into the database file, so that the
        file alone holds the record (``redun run`` calls this when its run ends; the
        backend stays open). A no-op for a backend that wrote nothing or a server."""
        if self._writer is None or not self._writer.wrote or self.path is None:
            return
        self._writer.flush()
        checkpoint_wal(self.path)

    def close(self) -> None:
        """Flush and stop the writer, release connections, then checkpoint the WAL of a
        file this backend wrote to, so the file alone holds the record. Idempotent."""
        writer, self._writer = self._writer, None
        session, self._session = self._session, None
        if session is not None:
            session.close()
        try:
            if writer is not None:
                writer.close()
        finally:
            self._loaded = False
            _open_backends.discard(self)
            if self._direct is not None:
                self._direct.close()
                self._direct = None
            if self.engine is not None:
                self.engine.dispose()
                self.engine = None
        if writer is not None and writer.wrote and self.path is not None:
            checkpoint_wal(self.path)

    # -- batched reads ---------------------------------------------------------------

    def get_evaluations(self, eval_hashes: Sequence[str]) -> dict[str, str]:
        if self._direct is not None:
            return self._direct.evaluations(eval_hashes)
        from sqlalchemy import select

        from redun.backends.db.tables import Evaluation

        table = Evaluation.__table__
        found: dict[str, str] = {}
        with self.transaction() as conn:
            for part in chunks(list(dict.fromkeys(eval_hashes))):
                query = select(table.c.eval_hash, table.c.value_hash).where(
                    table.c.eval_hash.in_(part)
                )
                found.update(tuple(row) for row in conn.execute(query).all())
        return found

    @property
    def dialect_name(self) -> str:
        """``sqlite``, ``postgresql``, ...: what plain SQL here must be written for."""
        if self._direct is not None:
            return "sqlite"
        return self.connect().dialect.name

    def read_rows(self, sql: str, params: Mapping[str, Any]) -> list[tuple]:
        """Plain SQL with named ``:params`` through the connection this backend reads with
        (the DBAPI on the SQLite fast path, so a run's summary needs no SQLAlchemy)."""
        if self._direct is not None:
            return self._direct.rows(sql, params)
        from sqlalchemy import text

        with self.transaction() as conn:
            return [tuple(row) for row in conn.execute(text(sql), dict(params))]

    def get_execution_savings(self, execution_id: str) -> Any:
        """Jobs this execution reused from the cache and the compute they saved."""
        from redun.backends.db.saved import execution_savings

        return execution_savings(self.read_rows, execution_id, self.dialect_name)

    def explain_cache_miss(
        self, name: str, namespace: str, task_hash: str, args_hash: str
    ) -> dict[str, Any] | None:
        from redun.backends.db.explain import explain_cache_miss

        return explain_cache_miss(self, name, namespace, task_hash, args_hash)

    def get_handle_validity(self, handle_hashes: Sequence[str]) -> dict[str, bool]:
        from redun.backends.db.handles import get_handle_validity

        return get_handle_validity(self, handle_hashes)

    def rollback_handle(
        self, handle_hash: str, fullname: str, keep: Collection[str] = ()
    ) -> set[str]:
        from redun.backends.db.handles import rollback_handle

        return rollback_handle(self, handle_hash, fullname, keep)

    def get_existing_call_nodes(self, call_hashes: Sequence[str]) -> set[str]:
        if self._direct is not None:
            return self._direct.existing_call_nodes(call_hashes)
        from sqlalchemy import select

        from redun.backends.db.tables import CallNode

        table = CallNode.__table__
        found: set[str] = set()
        with self.transaction() as conn:
            for part in chunks(list(dict.fromkeys(call_hashes))):
                query = select(table.c.call_hash).where(table.c.call_hash.in_(part))
                found.update(row[0] for row in conn.execute(query).all())
        return found

    def get_values(self, value_hashes: Sequence[str]) -> dict[str, tuple[str, str, bytes]]:
        if self._direct is not None:
            return self._direct.values(value_hashes)
        from sqlalchemy import select

        from redun.backends.db.tables import Value

        table = Value.__table__
        found: dict[str, tuple[str, str, bytes]] = {}
        with self.transaction() as conn:
            for part in chunks(list(dict.fromkeys(value_hashes))):
                query = select(table.c.value_hash, table.c.type, table.c.format, table.c.value)
                for value_hash, type_name, fmt, data in conn.execute(
                    query.where(table.c.value_hash.in_(part))
                ).all():
                    found[value_hash] = (type_name, fmt, data)
        return found

    def get_call_nodes(self, task_hash: str, args_hash: str) -> list[CallNodeHit]:
        if self._direct is not None:
            return [CallNodeHit(*hit) for hit in self._direct.call_nodes(task_hash, args_hash)]
        from sqlalchemy import select

        from redun.backends.db.tables import CallNode, CallSubtreeTask, Tag

        node, subtree, tag = CallNode.__table__, CallSubtreeTask.__table__, Tag.__table__
        # Filter on the indexed task_hash; args_hash has no index (upstream schema).
        query = (
            select(node.c.call_hash, node.c.value_hash)
            .where(node.c.task_hash == task_hash, node.c.args_hash == args_hash)
            .order_by(node.c.timestamp.desc())
        )
        with self.transaction() as conn:
            nodes = [tuple(row) for row in conn.execute(query)]
            tasks: dict[str, list[str]] = {call_hash: [] for call_hash, _ in nodes}
            for part in chunks(list(tasks)):
                rows = conn.execute(
                    select(subtree.c.call_hash, subtree.c.task_hash).where(
                        subtree.c.call_hash.in_(part)
                    )
                )
                for call_hash, sub_task in rows:
                    tasks[call_hash].append(sub_task)
            contexts: dict[str, list[str]] = {call_hash: [] for call_hash, _ in nodes}
            for part in chunks(list(contexts)):
                rows = conn.execute(
                    select(tag.c.entity_id, tag.c.value).where(
                        tag.c.key == "redun.context", tag.c.entity_id.in_(part)
                    )
                )
                for call_hash, value in rows:
                    contexts[call_hash].append(value)
        return [CallNodeHit(c, v, tuple(sorted(tasks[c])), tuple(contexts[c])) for c, v in nodes]


# Loaded backends not closed yet: a script that runs a Scheduler and exits still has
# its writer flushed and the WAL checkpointed (the writer thread is a daemon).
_open_backends: weakref.WeakSet[RedunBackendDb] = weakref.WeakSet()
_atexit_registered = False


def _close_at_exit(backend: RedunBackendDb) -> None:
    global _atexit_registered
    if not _atexit_registered:
        atexit.register(_close_open_backends)
        _atexit_registered = True
    _open_backends.add(backend)


def _close_open_backends() -> None:
    for backend in list(_open_backends):
        try:
            backend.close()
        except Exception:  # noqa: BLE001 - exiting anyway; the WAL keeps the rows
            pass


def _log_schema_created() -> None:
    """The line upstream redun logs when it creates a repository's schema."""
    import logging

    logging.getLogger("redun").info(f"Upgrading db from version -1.0 to {LATEST}...")
