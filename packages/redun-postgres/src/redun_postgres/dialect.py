"""PostgreSQL as a ``SqlDialect``: a server many machines share.

What a server needs instead of a file: a connection pool, credentials from the
environment (``uri``), schema changes serialized by an advisory lock (so any number of
processes may open a fresh database at once), retries with backoff on transient errors
(a restarted server, a deadlock victim), and bulk inserts of one statement per table.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext
from typing import TYPE_CHECKING, Any

from redun.config_values import parse_float, parse_int
from redun.retry import RetryPolicy

from redun_postgres.bulk import insert_rows as bulk_insert_rows
from redun_postgres.errors import describe, is_transient
from redun_postgres.uri import Target

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

# pg_advisory_xact_lock key guarding schema creation and migration ("redun" in ASCII).
SCHEMA_LOCK_KEY = 0x726564756E
DEFAULTS = {
    "db_retries": "3",
    "db_retries_backoff": "1.0",
    "db_retries_backoff_max": "60.0",
    "db_pool_size": "5",
    "db_connect_timeout": "10",
}


class PostgresDialect:
    """A PostgreSQL database reached through ``target`` (URL with credentials).

    Parameters
    ----------
    target : Target
        Where to connect, and how to show it (``redun_postgres.uri.resolve_target``).
    config : Mapping, optional
        The ``[backend]`` section: ``db_retries``, ``db_retries_backoff``,
        ``db_retries_backoff_max``, ``db_pool_size``, ``db_connect_timeout``.
    """

    # A shared database is migrated on purpose, with `redun db upgrade`.
    automigrate = False
    foreign_database_hint = (
        "point [backend] db_uri at an empty database or an existing redun database"
    )
    # A server serializes its own transactions: no process-wide lock.
    lock = nullcontext()
    insert_rows = staticmethod(bulk_insert_rows)

    def __init__(self, target: Target, config: Mapping[str, Any] | None = None) -> None:
        config = config or {}
        settings = {**DEFAULTS, **{k: v for k, v in config.items() if k in DEFAULTS}}
        self.db_uri = self.where = target.display
        self._url = target.url
        self._password = target.password

        def number(parse: Any, key: str) -> Any:
            return parse(settings[key], key, "backend", self.db_uri)

        self.retry = RetryPolicy(
            retries=number(parse_int, "db_retries"),
            backoff=number(parse_float, "db_retries_backoff"),
            backoff_max=number(parse_float, "db_retries_backoff_max"),
            is_transient=is_transient,
        )
        self.pool_size = number(parse_int, "db_pool_size")
        self.connect_timeout = int(number(parse_float, "db_connect_timeout"))

    def connect(self) -> Engine:
        """A pooled engine; ``redun.version`` is set on every session, as upstream does."""
        from redun._version import __version__
        from sqlalchemy import create_engine

        return create_engine(
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

    @contextmanager
    def transaction(self, engine: Engine, immediate: bool = False) -> Iterator[Connection]:
        """A transaction; ``immediate`` ones also hold the schema lock until commit."""
        from sqlalchemy import text
        from sqlalchemy.exc import DBAPIError

        try:
            with engine.connect() as conn, conn.begin():
                if immediate:
                    conn.execute(text(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK_KEY})"))
                yield conn
        except DBAPIError as exc:
            raise describe(exc, self._url, self.where, self._password) from exc
