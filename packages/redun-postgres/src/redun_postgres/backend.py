"""The PostgreSQL backend: redun's schema 3.5 on a server many machines share.

It is the SQLite backend (``RedunBackendDb``) with what a server needs instead of a
file: a connection pool, credentials from the environment, schema changes serialized by
an advisory lock (so any number of processes may open a fresh database at once), and
retries with backoff on transient errors (a restarted server, a deadlock victim).
Writes are the same batched, idempotent, key-ordered ``INSERT ... ON CONFLICT DO
NOTHING`` transactions, so concurrent runs of overlapping workflows never collide.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from redun.backends.db.backend import RedunBackendDb
from redun.errors import BackendError

from redun_postgres.bulk import insert_rows
from redun_postgres.errors import describe, is_transient
from redun_postgres.uri import resolve_target

if TYPE_CHECKING:
    from redun.backends.db.versions import DBVersionInfo
    from redun.backends.records import CallNodeHit
    from sqlalchemy.engine import Connection, Engine

logger = logging.getLogger("redun.backends.postgres")
T = TypeVar("T")

# pg_advisory_xact_lock key guarding schema creation and migration ("redun" in ASCII).
SCHEMA_LOCK_KEY = 0x726564756E
DEFAULTS = {
    "db_retries": "3",
    "db_retries_backoff": "1.0",
    "db_retries_backoff_max": "60.0",
    "db_pool_size": "5",
    "db_connect_timeout": "10",
}


class RedunBackendPostgres(RedunBackendDb):
    """Provenance and cache store in a PostgreSQL database (schema 3.5, upstream-compatible).

    Parameters
    ----------
    db_uri : str, optional
        ``postgresql://HOST:PORT/DATABASE`` (``postgresql+psycopg://`` too); a username
        may be given, a password may not (use ``REDUN_DB_PASSWORD``).
    config : Mapping, optional
        The ``[backend]`` section: ``db_uri``, ``automigrate`` (default false: a shared
        database is migrated on purpose, with ``redun db upgrade``), ``db_username_env``,
        ``db_password_env``, ``db_retries``, ``db_retries_backoff``,
        ``db_retries_backoff_max``, ``db_pool_size``, ``db_connect_timeout``.
    config_dir : str, optional
        Directory of the redun.ini the section came from.
    """

    schemes: ClassVar[tuple[str, ...]] = ("postgresql",)

    def __init__(
        self,
        db_uri: str | None = None,
        config: Mapping[str, Any] | None = None,
        config_dir: str | None = None,
    ) -> None:
        config = dict(config or {})
        raw_uri = db_uri or config.get("db_uri")
        if not raw_uri:
            raise BackendError("no PostgreSQL database given; set [backend] db_uri")
        target = resolve_target(raw_uri, config)
        super().__init__(db_uri=target.display, config=config, config_dir=config_dir)
        self.db_uri = target.display
        self.path = None
        self._url = target.url
        self._password = target.password
        automigrate = str(config.get("automigrate", "false")).strip().lower()
        self.automigrate = automigrate in ("1", "true", "yes", "on")
        settings = {**DEFAULTS, **{k: v for k, v in config.items() if k in DEFAULTS}}
        try:
            self.db_retries = int(settings["db_retries"])
            self.db_retries_backoff = float(settings["db_retries_backoff"])
            self.db_retries_backoff_max = float(settings["db_retries_backoff_max"])
            self.pool_size = int(settings["db_pool_size"])
            self.connect_timeout = int(float(settings["db_connect_timeout"]))
        except ValueError as exc:
            from redun.errors import ConfigError

            raise ConfigError(f"[backend] of {self.db_uri}: {exc}; use numbers") from None
        # A server serializes its own transactions: no process-wide lock.
        self._lock = nullcontext()

    # -- connection --------------------------------------------------------------------

    def connect(self) -> Engine:
        """A pooled engine; ``redun.version`` is set on every session, as upstream does."""
        if self.engine is None:
            from redun._version import __version__
            from sqlalchemy import create_engine

            self.engine = create_engine(
                self._url,
                pool_size=self.pool_size,
                max_overflow=self.pool_size,
                pool_pre_ping=True,
                connect_args={
                    "connect_timeout": self.connect_timeout,
                    "application_name": "redun",
                    # Upstream's UTC trigger leaves rows of clients that set it alone.
                    "options": f"-c redun.version={__version__}",
                },
            )
        return self.engine

    @contextmanager
    def transaction(self, immediate: bool = False) -> Iterator[Connection]:
        """A transaction; ``immediate`` ones also hold the schema lock until commit."""
        from sqlalchemy import text
        from sqlalchemy.exc import DBAPIError

        engine = self.connect()
        try:
            with engine.connect() as conn, conn.begin():
                if immediate:
                    conn.execute(text(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK_KEY})"))
                yield conn
        except DBAPIError as exc:
            raise describe(exc, self._url, self.where, self._password) from exc

    def _retrying(self, what: str, func: Callable[..., T], *args: Any) -> T:
        """Run ``func``, retrying transient failures with capped exponential backoff."""
        for attempt in range(self.db_retries + 1):
            try:
                return func(*args)
            except BackendError as exc:
                cause = exc.__cause__
                if attempt >= self.db_retries or cause is None or not is_transient(cause):
                    raise
                delay = min(self.db_retries_backoff * (2**attempt), self.db_retries_backoff_max)
                logger.warning(
                    "%s failed (attempt %d/%d), retrying in %.1fs: %s",
                    what,
                    attempt + 1,
                    self.db_retries + 1,
                    delay,
                    exc,
                )
                time.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    # -- schema ------------------------------------------------------------------------

    def _create_schema(self, conn: Connection, names: set[str]) -> None:
        from redun.backends.db.migrate import create_schema

        if names:
            raise BackendError(
                f"database {self.where} has tables but is not a redun database; point "
                "[backend] db_uri at an empty database or an existing redun database"
            )
        create_schema(conn)

    def get_db_version(self) -> DBVersionInfo:
        """The schema version of the database (``NULL_VERSION`` when it has none)."""
        return self._retrying("reading the db version", super().get_db_version)

    def _start_writer(self) -> None:
        from redun.backends.db.writer import RetryPolicy, Writer

        if self._writer is None:
            policy = RetryPolicy(
                retries=self.db_retries,
                backoff=self.db_retries_backoff,
                backoff_max=self.db_retries_backoff_max,
                is_transient=is_transient,
            )
            self._writer = Writer(self.connect(), self._lock, retry=policy, insert_rows=insert_rows)

    # -- batched reads -----------------------------------------------------------------

    def get_evaluations(self, eval_hashes: Sequence[str]) -> dict[str, str]:
        return self._retrying("cache lookup", super().get_evaluations, eval_hashes)

    def get_values(self, value_hashes: Sequence[str]) -> dict[str, tuple[str, str, bytes]]:
        return self._retrying("value lookup", super().get_values, value_hashes)

    def get_call_nodes(self, task_hash: str, args_hash: str) -> list[CallNodeHit]:
        return self._retrying("call node lookup", super().get_call_nodes, task_hash, args_hash)
