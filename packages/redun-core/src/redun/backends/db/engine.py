"""SQLite engines tuned for many concurrent writers.

WAL lets readers run while a writer commits, ``busy_timeout`` makes a writer wait for
another process instead of failing, and ``BEGIN IMMEDIATE`` on the writer's
transactions takes the write lock up front, where SQLite can still wait for it (a
deferred transaction that upgrades later fails at once with ``database is locked``).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from redun.errors import BackendError
from redun.retry import RetryPolicy

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

MEMORY_URI = "sqlite:///:memory:"
BUSY_TIMEOUT_S = 30.0
# How long a closing run waits for other processes' readers before checkpointing the WAL.
CHECKPOINT_WAIT_S = 2.0
SQLITE_MAGIC = b"SQLite format 3\x00"
# Execution option that makes a connection's transactions BEGIN IMMEDIATE.
IMMEDIATE = "redun_begin_immediate"


def resolve_sqlite_uri(db_uri: str, config_dir: str | None) -> str:
    """Make a relative ``sqlite:///path`` relative to the config dir, as upstream does."""
    prefix = "sqlite:///"
    if db_uri in ("sqlite://", "sqlite:///", MEMORY_URI) or not db_uri.startswith(prefix):
        return MEMORY_URI if db_uri in ("sqlite://", "sqlite:///") else db_uri
    path = db_uri[len(prefix) :]
    if path.startswith(":memory:") or os.path.isabs(path):
        return db_uri
    return prefix + os.path.join(os.path.abspath(config_dir or os.getcwd()), path)


def sqlite_path(db_uri: str) -> str | None:
    """The database file of a sqlite URI, or None for an in-memory database."""
    path = db_uri[len("sqlite:///") :] if db_uri.startswith("sqlite:///") else ""
    if not path or path.startswith(":memory:"):
        return None
    return path.split("?", 1)[0]


def check_sqlite_file(path: str) -> None:
    """Fail with one line when ``path`` exists but is not a SQLite database.

    The file is examined through SQLite, never with a plain ``open()``. Closing any
    descriptor of a file releases every POSIX lock the process holds on it, including
    the shared lock a WAL-mode connection keeps for its whole life; another process
    closing its last connection then takes the exclusive lock, believes it is alone, and
    checkpoints and deletes the WAL and its index under this process's connections,
    whose next writes corrupt the file ("database disk image is malformed"). SQLite's
    own connections within one process share their locks and never drop each other's.
    """
    if not os.path.exists(path):
        directory = os.path.dirname(path) or "."
        if not os.path.isdir(directory):
            raise BackendError(
                f"cannot create database {path}: directory {directory} does not exist"
            )
        return
    if os.path.isdir(path):
        raise BackendError(f"cannot read database {path}: it is a directory")
    if not os.access(path, os.R_OK):
        raise BackendError(f"cannot read database {path}: permission denied")
    if os.path.getsize(path) and _not_a_database(path):
        raise BackendError(
            f"{path} is not a SQLite database; fix [backend] db_uri or move the file away"
        )


def _not_a_database(path: str) -> bool:
    """Whether SQLite refuses the file's header, read through a read-only connection
    (which leaves the file byte-for-byte untouched and keeps this process's locks)."""
    import sqlite3
    from urllib.parse import quote

    try:
        conn = sqlite3.connect(f"file:{quote(os.path.abspath(path))}?mode=ro", uri=True)
    except sqlite3.Error:
        return False  # whoever opens it next says why it cannot be opened
    try:
        conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        # Busy, or a WAL index it may not create: not a verdict on the header.
        return "not a database" in str(exc).lower()
    finally:
        conn.close()
    return False


def is_writable(path: str) -> bool:
    """Whether this process may write ``path`` and create files beside it (SQLite's
    journal and WAL index live next to the database)."""
    directory = os.path.dirname(os.path.abspath(path))
    return os.access(path, os.W_OK) and os.access(directory, os.W_OK)


def read_only_uri(path: str) -> str:
    """A SQLAlchemy URI opening ``path`` read-only.

    When the WAL's files exist SQLite reads them (``mode=ro``); without them, in a
    directory where they cannot be created, only ``immutable=1`` opens a WAL database,
    and then no other process may be writing it (none can: nobody may create its WAL).
    """
    from urllib.parse import quote

    wal_present = os.path.exists(path + "-wal") and os.path.exists(path + "-shm")
    flags = "mode=ro" if wal_present else "mode=ro&immutable=1"
    return f"sqlite:///file:{quote(os.path.abspath(path))}?{flags}&uri=true"


def create_sqlite_engine(db_uri: str) -> Engine:
    """An engine with WAL, a busy timeout and NORMAL sync on every connection."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import StaticPool

    memory = sqlite_path(db_uri) is None
    kwargs: dict[str, Any] = {
        "connect_args": {"check_same_thread": False, "timeout": BUSY_TIMEOUT_S},
    }
    if memory:
        # One connection, or every checkout would see a different empty database.
        kwargs["poolclass"] = StaticPool
    engine = create_engine(db_uri, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control from the sqlite3 module (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        if not memory:
            # journal_mode=WAL is persistent and changes the file: see enable_wal.
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(IMMEDIATE)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def enable_wal(engine: Engine) -> None:
    """Switch the database file to WAL (persistent; a no-op when it already is).

    Done only once the schema version is accepted, so that a database this code refuses
    is left byte-for-byte untouched.
    """
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()
    finally:
        raw.close()


def checkpoint_wal(path: str) -> None:
    """Copy the WAL's committed pages into the database file and empty the WAL.

    Called when a run's writer closes, so that between runs ``redun.db`` alone holds the
    whole record (a backup or an scp of that one file loses nothing). Another process
    reading or writing at that moment keeps its pages in the WAL: the checkpoint waits
    briefly for it, then leaves the rest to that process's own close.
    """
    import sqlite3
    from urllib.parse import quote

    try:
        # mode=rw: a database file removed meanwhile is not created anew.
        uri = f"file:{quote(os.path.abspath(path))}?mode=rw"
        conn = sqlite3.connect(uri, uri=True, timeout=CHECKPOINT_WAIT_S)
    except sqlite3.Error:
        return
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(CHECKPOINT_WAIT_S * 1000)}")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    except sqlite3.Error:
        pass  # busy or read-only: the WAL stays valid, only not folded in yet
    finally:
        conn.close()


def database_error(where: str, exc: BaseException) -> BackendError:
    """One line for a SQLite failure, saying what to do about it.

    ``exc`` is a ``sqlite3`` error or a SQLAlchemy one wrapping it (``.orig``).
    """
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    lowered = text.lower()
    if "malformed" in lowered or "not a database" in lowered:
        return BackendError(
            f"database {where} is damaged ({text}): restore it from a backup, or move it "
            "away to start a new repository"
        )
    if "readonly" in lowered or "unable to open" in lowered:
        return BackendError(
            f"database {where} cannot be written ({text}): check the permissions of the "
            "file and its directory"
        )
    return BackendError(f"database {where}: {text}")


def is_locked_error(exc: BaseException) -> bool:
    """True for SQLite's transient lock contention errors, worth retrying."""
    message = str(getattr(exc, "orig", exc)).lower()
    return "database is locked" in message or "database table is locked" in message


# Another process holding the write lock longer than the busy timeout: retried quickly.
LOCK_RETRY = RetryPolicy(retries=8, backoff=0.05, backoff_max=2.0, is_transient=is_locked_error)
