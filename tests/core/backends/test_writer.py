"""The write-behind writer (redun/backends/db/writer.py): rows queue without waiting,
commit in batches on its thread, retry what its policy calls transient, and report the
rest through ``flush``. Its seams are real: a SQLite engine, and ``insert_rows`` (the
dialect's bulk insert) made to fail as a locked database does."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path

import pytest
from contracts.backend_rows import execution
from redun.backends.db.engine import create_sqlite_engine
from redun.backends.db.sqlite_bulk import sqlite_insert_rows
from redun.backends.db.writer import Writer
from redun.errors import BackendError
from redun.retry import RetryPolicy


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[object]:
    from redun.backends.db.migrate import create_schema

    engine = create_sqlite_engine(f"sqlite:///{tmp_path / 'redun.db'}")
    with engine.begin() as conn:
        create_schema(conn)
    yield engine
    engine.dispose()


def rows_in(engine, table: str) -> int:
    from sqlalchemy import text

    with engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


class LockedFor:
    """``insert_rows`` that fails like a locked SQLite database the first ``n`` times."""

    def __init__(self, n: int) -> None:
        self.failures_left = n
        self.calls = 0

    def __call__(self, conn, table, rows) -> None:
        self.calls += 1
        if self.failures_left > 0:
            self.failures_left -= 1
            raise sqlite3.OperationalError("database is locked")
        sqlite_insert_rows(conn, table, rows)


def quick_retry(retries: int) -> RetryPolicy:
    from redun.backends.db.engine import is_locked_error

    return RetryPolicy(retries, 0.0, 0.0, is_transient=is_locked_error)


def test_writes_return_at_once_and_flush_commits_them_all(engine) -> None:
    writer = Writer(engine, nullcontext())
    for n in range(20):
        writer.write(execution(f"exec-{n}", range(n, n + 3)))
    assert writer.wrote
    writer.flush()
    assert rows_in(engine, "execution") == 20
    assert rows_in(engine, "job") == 20 * 4
    writer.close()


def test_a_locked_database_is_retried_until_the_batch_commits(engine, caplog) -> None:
    insert = LockedFor(2)
    writer = Writer(engine, nullcontext(), retry=quick_retry(3), insert_rows=insert)
    with caplog.at_level(logging.WARNING, logger="redun"):
        writer.write(execution("exec-a", range(2)))
        writer.flush()
    assert rows_in(engine, "execution") == 1
    assert "redun database write failed (attempt 1/4)" in caplog.text
    writer.close()


def test_a_write_that_keeps_failing_is_reported_by_flush_and_rolled_back(engine) -> None:
    writer = Writer(engine, nullcontext(), retry=quick_retry(1), insert_rows=LockedFor(5))
    writer.write(execution("exec-a", range(2)))
    with pytest.raises(BackendError, match="writing to the database failed: database is locked"):
        writer.flush()
    assert rows_in(engine, "execution") == 0, "a failed batch commits nothing"
    writer.close()


def test_close_flushes_and_later_writes_are_refused(engine) -> None:
    writer = Writer(engine, nullcontext())
    writer.write(execution("exec-a", range(1)))
    writer.close()
    writer.close()  # idempotent
    assert rows_in(engine, "execution") == 1
    with pytest.raises(BackendError, match="closed backend"):
        writer.write(execution("exec-b", range(1)))


def test_many_threads_writing_at_once_lose_nothing(engine) -> None:
    writer = Writer(engine, nullcontext(), max_batch_rows=50)

    def write(index: int) -> None:
        for round_ in range(5):
            writer.write(execution(f"exec-{index}-{round_}", range(index, index + 4)))

    threads = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    writer.flush()
    assert rows_in(engine, "execution") == 20
    assert rows_in(engine, "job") == 20 * 5
    assert rows_in(engine, "evaluation") == 7, "shared calls are stored once"
    assert rows_in(engine, "job WHERE end_time IS NULL") == 0
    writer.close()


class Slow:
    """``insert_rows`` that waits for a gate: a writer that has fallen behind."""

    def __init__(self) -> None:
        self.gate = threading.Event()

    def __call__(self, conn, table, rows) -> None:
        self.gate.wait(30)
        sqlite_insert_rows(conn, table, rows)


def test_writes_wait_for_a_writer_that_fell_behind_then_all_commit(engine) -> None:
    """A bounded backlog: memory and what a kill -9 could lose stay bounded."""
    slow = Slow()
    backlog = 50
    writer = Writer(
        engine, nullcontext(), max_batch_rows=5, insert_rows=slow, max_backlog_rows=backlog
    )
    done = threading.Event()

    def write_many() -> None:
        for n in range(backlog):  # ten rows each: far more than the backlog holds
            writer.write(execution(f"exec-{n}", range(n, n + 1)))
        done.set()

    thread = threading.Thread(target=write_many)
    thread.start()
    assert not done.wait(1.0), "writes ran ahead of a stuck writer without bound"
    assert writer._queued <= backlog + 10  # one execution's rows past the bound
    slow.gate.set()
    assert done.wait(60)
    thread.join()
    writer.flush()
    assert rows_in(engine, "execution") == backlog
    writer.close()
