"""The provenance backend on a SQL database, whatever the database: the logic SQLite and
PostgreSQL share, over a ``SqlDialect`` that holds what they do not.

``RedunBackendDb`` (SQLite, in core) and ``RedunBackendPostgres`` (redun-postgres) are
siblings built on this class: each picks its dialect, and SQLite adds the file-only
paths (read-only files, the DBAPI fast path, WAL checkpoints).
"""

from __future__ import annotations

import atexit
import logging
import weakref
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from redun.backends.base import RedunBackend
from redun.backends.db.record_api import RecordApi
from redun.backends.db.recording_api import RecordingApi
from redun.backends.db.tag_api import TagApi
from redun.backends.db.versions import (
    LATEST,
    MAX_MAJOR,
    NULL_VERSION,
    REDUN_DB_VERSIONS,
    REQUIRED_RANGE,
    SUPPORTED_RANGE,
    DBVersionInfo,
    is_compatible,
)
from redun.backends.records import CallNodeHit
from redun.backends.value_store import divert_large_values, value_store_from_config
from redun.config_values import parse_bool
from redun.errors import BackendError, DatabaseVersionError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

    from redun.backends.db.dialect import SqlDialect
    from redun.backends.db.writer import Writer
    from redun.backends.records import Row

T = TypeVar("T")


class SqlBackend(RecordingApi, RecordApi, TagApi, RedunBackend):
    """Provenance and cache store in a SQL database (schema 3.5, upstream-compatible).

    Parameters
    ----------
    dialect : SqlDialect
        The database product: engine, transactions, retries, bulk inserts.
    config : Mapping, optional
        The ``[backend]`` section: ``automigrate`` (the dialect's default when absent) and
        the value store's keys are read here.
    config_dir : str, optional
        Directory of the redun.ini the section came from.
    """

    def __init__(
        self,
        dialect: SqlDialect,
        config: Mapping[str, Any] | None = None,
        config_dir: str | None = None,
    ) -> None:
        config = config or {}
        self.dialect = dialect
        self.config_dir = config_dir
        self.db_uri = dialect.db_uri
        self.automigrate = parse_bool(
            config.get("automigrate", dialect.automigrate), "automigrate", "backend"
        )
        self.engine: Engine | None = None
        self._writer: Writer | None = None
        # SqlReader, or the SQLite fast path's DirectReader (same methods).
        self._reader: Any = None
        self._loaded = False
        self._session: Any = None
        self.value_store, self.value_store_min_size = value_store_from_config(
            dict(config), config_dir
        )
        self.max_value_size = int(config.get("max_value_size", self.max_value_size))
        # Set when migrate() changes the schema: the next load() checks it again.
        self._version_stale = False
        # False on a clone: it shares this backend's engine and writer, not their lifetime.
        self._owner = True

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
        return self.dialect.where

    # -- connection and schema -------------------------------------------------------

    def connect(self) -> Engine:
        """Open the engine without looking at the schema (``redun db`` uses this)."""
        if self.engine is None:
            self.engine = self.dialect.connect()
        return self.engine

    @contextmanager
    def transaction(self, immediate: bool = False) -> Iterator[Connection]:
        """A connection in a transaction, committed on success; ``immediate`` ones are
        serialized with other processes' schema changes."""
        with self.dialect.transaction(self.connect(), immediate) as conn:
            yield conn

    def _retrying(self, what: str, func: Callable[..., T], *args: Any) -> T:
        """``func(*args)``, retried on the dialect's transient failures."""
        return self.dialect.retry.call(func, *args, what=what)

    def create_engine(self) -> Engine:
        """Open the engine without looking at the schema (upstream's name for ``connect``)."""
        return self.connect()

    def clone(self, session: Any = None) -> SqlBackend:
        """A backend sharing this one's engine and writer with its own ORM session (one
        per thread: sessions are not thread-safe); closing it closes only that session.

        Raises
        ------
        BackendError
            This backend is not loaded yet.
        """
        import copy

        if not self._loaded:
            raise BackendError(
                f"database {self.where} can be cloned only after the backend has been loaded "
                "(call load() first)"
            )
        self.connect()  # the engine the clone shares (the SQLite fast path opens it late)
        clone = copy.copy(self)
        clone._owner = False
        clone._session = session
        if session is None:
            from redun.backends.db.session import open_session

            clone._session = open_session(clone)
        return clone

    @staticmethod
    def get_all_db_versions() -> list[DBVersionInfo]:
        """Every schema version redun has released, oldest first."""
        return list(REDUN_DB_VERSIONS)

    @staticmethod
    def get_db_version_required() -> tuple[DBVersionInfo, DBVersionInfo]:
        """The oldest and newest schema versions this code reads and writes."""
        return REQUIRED_RANGE

    def is_db_compatible(self) -> bool:
        """Whether this code can use the database at its current schema version."""
        return is_compatible(self.get_db_version())

    def get_db_version(self) -> DBVersionInfo:
        """The schema version of the database (``NULL_VERSION`` when it has none)."""
        from redun.backends.db.migrate import current_version

        def read() -> DBVersionInfo:
            with self.transaction() as conn:
                return current_version(conn)

        return self._retrying("reading the db version", read)

    def load(self, migrate: bool | None = None) -> None:
        """Connect; create a missing schema, migrate an old one if allowed, refuse a new one."""
        from redun.backends.db.migrate import table_names
        from redun.backends.db.versions import read_db_version

        if self._loaded and not self._version_stale:
            return
        with self.transaction() as conn:
            names = table_names(conn)
            version = read_db_version(conn, names)
        if self._loaded:
            # migrate() moved the schema under this open backend: check it again.
            if not is_compatible(version):
                self._upgrade_or_refuse(version, self.automigrate if migrate is None else migrate)
            self._version_stale = False
            return
        if version == NULL_VERSION:
            with self.transaction(immediate=True) as conn:
                names = table_names(conn)
                version = read_db_version(conn, names)
                if version == NULL_VERSION:
                    self._create_schema(conn, names)
                    version = LATEST
        if not is_compatible(version):
            self._upgrade_or_refuse(version, self.automigrate if migrate is None else migrate)
        self._start_writer()
        self._opened()

    def _opened(self) -> None:
        """Mark the backend loaded; its writer is flushed at exit if nobody closes it."""
        self._loaded = True
        _close_at_exit(self)

    def _create_schema(self, conn: Connection, names: set[str]) -> None:
        """Create the latest schema in an empty database; refuse one holding other tables.

        Runs inside the write-locked transaction of ``load``.
        """
        from redun.backends.db.migrate import create_schema

        if names:
            raise BackendError(
                f"database {self.where} has tables but is not a redun database; "
                f"{self.dialect.foreign_database_hint}"
            )
        create_schema(conn)
        log_schema_created()

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

    def migrate(
        self, desired_version: DBVersionInfo | None = None, upgrade_only: bool = False
    ) -> bool:
        """Move the schema to ``desired_version`` (latest by default); False if nothing
        changed. ``upgrade_only`` never moves it down."""
        from redun.backends.db.migrate import current_version
        from redun.backends.db.migrate import migrate as run_migration

        desired = desired_version or LATEST
        with self.transaction(immediate=True) as conn:
            current = current_version(conn)
            if upgrade_only and desired.key <= current.key:
                return False
            changed = run_migration(conn, current, desired, self.where)
        self._version_stale = self._version_stale or changed
        return changed

    def _start_writer(self) -> None:
        from redun.backends.db.writer import Writer

        if self._writer is None:
            dialect = self.dialect
            self._writer = Writer(
                self.connect(), dialect.lock, retry=dialect.retry, insert_rows=dialect.insert_rows
            )

    # -- writes ----------------------------------------------------------------------

    def write(self, rows: Iterable[Row]) -> None:
        """Queue rows for the writer thread; returns without touching the database."""
        if self._writer is None:
            raise BackendError(f"database {self.where} is not loaded; call load() first")
        if self.value_store is not None:
            rows = divert_large_values(self.value_store, self.value_store_min_size, rows)
        self._writer.write(rows)

    def flush(self) -> None:
        """Wait for queued rows to commit; raises ``BackendError`` if a write failed."""
        if self._writer is not None:
            self._writer.flush()

    def checkpoint(self) -> None:
        """Make the database alone hold the record when a run ends (a server always does;
        a SQLite file folds its WAL in)."""

    def close(self) -> None:
        """Flush and stop the writer, release connections. Idempotent."""
        session, self._session = self._session, None
        if session is not None:
            session.close()
        if not self._owner:
            return  # a clone: the engine and writer belong to the backend it came from
        writer, self._writer = self._writer, None
        try:
            if writer is not None:
                writer.close()
        finally:
            self._loaded = False
            _open_backends.discard(self)
            reader, self._reader = self._reader, None
            if reader is not None:
                reader.close()
            if self.engine is not None:
                self.engine.dispose()
                self.engine = None

    # -- batched reads ---------------------------------------------------------------

    def _read(self) -> Any:
        if self._reader is None:
            from redun.backends.db.sql_reads import SqlReader

            self._reader = SqlReader(self.transaction)
        return self._reader

    def get_evaluations(self, eval_hashes: Sequence[str]) -> dict[str, str]:
        return self._retrying("cache lookup", self._read().evaluations, eval_hashes)

    def get_values(self, value_hashes: Sequence[str]) -> dict[str, tuple[str, str, bytes]]:
        found = self._retrying("value lookup", self._read().values, value_hashes)
        if self.value_store is not None:
            for value_hash, (type_name, fmt, data) in list(found.items()):
                if data:
                    continue
                data, present = self.value_store.get(value_hash)
                if present:
                    found[value_hash] = (type_name, fmt, data)
                else:
                    # Its file is gone from the value store: a miss, so the job reruns.
                    del found[value_hash]
        return found

    def get_call_nodes(self, task_hash: str, args_hash: str) -> list[CallNodeHit]:
        hits = self._retrying("call node lookup", self._read().call_nodes, task_hash, args_hash)
        return [CallNodeHit(*hit) for hit in hits]

    def get_existing_call_nodes(self, call_hashes: Sequence[str]) -> set[str]:
        return self._read().existing_call_nodes(call_hashes)

    @property
    def dialect_name(self) -> str:
        """``sqlite``, ``postgresql``, ...: what plain SQL here must be written for."""
        return self.connect().dialect.name

    def read_rows(self, sql: str, params: Mapping[str, Any]) -> list[tuple]:
        """Plain SQL with named ``:params`` through the connection this backend reads with
        (the DBAPI on the SQLite fast path, so a run's summary needs no SQLAlchemy)."""
        return self._read().rows(sql, params)

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
        self, handle: Any, fullname: str | None = None, keep: Collection[str] = ()
    ) -> set[str]:
        from redun.backends.db.handles import rollback_handle

        if not isinstance(handle, str):  # a Handle (upstream's signature)
            handle, fullname = handle.__handle__.hash, handle.__handle__.fullname
        invalid = rollback_handle(self, handle, fullname or "", keep)
        if invalid and self._session is not None:
            # Handle rows the session loaded may now be stale.
            self._session.expire_all()
        return invalid


# Loaded backends not closed yet: a script that runs a Scheduler and exits still has
# its writer flushed (the writer thread is a daemon).
_open_backends: weakref.WeakSet[SqlBackend] = weakref.WeakSet()
_atexit_registered = False


def _close_at_exit(backend: SqlBackend) -> None:
    global _atexit_registered
    if not _atexit_registered:
        atexit.register(_close_open_backends)
        _atexit_registered = True
    _open_backends.add(backend)


def _close_open_backends() -> None:
    for backend in list(_open_backends):
        try:
            backend.close()
        except Exception:  # noqa: BLE001 - exiting anyway; the database keeps the rows
            pass


def log_schema_created() -> None:
    """The line upstream redun logs when it creates a repository's schema."""
    logging.getLogger("redun").info(f"Upgrading db from version -1.0 to {LATEST}...")
