"""What differs between the databases one SQL backend runs on, as an object it is given.

``SqlBackend`` holds everything the SQLite and PostgreSQL backends share (schema checks
and migration, the write-behind writer, batched cache reads, sessions); a dialect holds
the rest: how to open the engine, what a transaction is (SQLite's ``BEGIN IMMEDIATE``,
PostgreSQL's advisory schema lock), which failures are worth retrying, the fastest
idempotent bulk insert, and how a driver error reads in one line. The backend composes
the two, as dagster's ``StepDelegatingExecutor`` composes a step handler.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

    from redun.retry import RetryPolicy


class SqlDialect(Protocol):
    """One database product, as ``SqlBackend`` uses it.

    Attributes
    ----------
    db_uri : str
        The database URI as redun shows it (no password).
    where : str
        How messages name the database (a file path, or the URI).
    automigrate : bool
        The default of ``[backend] automigrate``: whether ``load`` upgrades an old schema.
    foreign_database_hint : str
        What to do when the database holds tables but no redun schema.
    lock : context manager
        Held around every transaction, when readers and the writer share one connection.
    retry : RetryPolicy
        Which failed reads and writes are tried again, how often and how long.
    """

    db_uri: str
    where: str
    automigrate: bool
    foreign_database_hint: str
    lock: AbstractContextManager[Any]
    retry: RetryPolicy

    def connect(self) -> Engine:
        """A new SQLAlchemy engine (connecting lazily, as engines do)."""
        ...

    def transaction(
        self, engine: Engine, immediate: bool = False
    ) -> AbstractContextManager[Connection]:
        """A connection in a transaction, committed on success.

        ``immediate`` transactions serialize schema changes between processes. Driver
        errors leave as a one-line ``BackendError`` naming the database.
        """
        ...

    def insert_rows(self, conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
        """Insert ``rows`` into ``table``, skipping those whose key exists (idempotent)."""
        ...
