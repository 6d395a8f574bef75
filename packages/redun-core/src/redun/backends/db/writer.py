"""Write-behind writer: the scheduler queues rows, one thread commits them in batches.

Each batch is one transaction of idempotent multi-row inserts, ordered so that a row is
committed no earlier than the rows it points at (values and tasks, then call nodes and
their edges, then evaluations, executions, jobs, job ends and tags). A crash therefore
loses at most the uncommitted tail, never leaves a dangling reference, and a rerun or a
concurrent process writing the same rows simply has its duplicates ignored.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from redun.backends.db.engine import IMMEDIATE, LOCK_RETRY
from redun.backends.db.sqlite_schema import INSERT_ORDER
from redun.backends.records import (
    CallNodeRow,
    EvaluationRow,
    ExecutionRow,
    ExecutionUpdateRow,
    HandleRow,
    JobEndRow,
    JobStartRow,
    TagRow,
    TaskRow,
    ValueRow,
)
from redun.errors import BackendError
from redun.retry import RetryPolicy, first_line

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

logger = logging.getLogger("redun.backends.db")

# Inserts one table's rows idempotently: (connection, table, rows as dicts).
InsertRows = Callable[["Connection", Any, list[dict[str, Any]]], None]

MAX_BATCH_ROWS = 20_000
# Rows queued beyond which ``write`` waits for the writer: a writer that falls behind
# (a slow disk, a busy server) would otherwise hold a whole run's rows in memory, and
# a kill -9 would lose all of them.
MAX_BACKLOG_ROWS = 3 * MAX_BATCH_ROWS
# How long the writer waits for more rows before committing a batch.
LINGER_S = 0.05
# How long a root job's row waits for its execution's row (queued right after it).
EXECUTION_WAIT_S = 5.0


class Batch:
    """Rows of one commit, grouped by table, each list ready for ``executemany``."""

    def __init__(self) -> None:
        self.inserts: dict[str, list[dict[str, Any]]] = {name: [] for name in INSERT_ORDER}
        self.values: dict[str, dict[str, Any]] = {}
        self.job_ends: list[dict[str, Any]] = []
        # Jobs inserted by this batch: an end row for one of them fills in the insert
        # instead of costing a separate UPDATE (most jobs start and end within a batch).
        self._jobs: dict[str, dict[str, Any]] = {}
        self.execution_updates: list[dict[str, Any]] = []
        # eval_hash -> value_hash for cache entries a rerun replaces.
        self.evaluation_updates: dict[str, str] = {}
        self.stale_tags: list[dict[str, Any]] = []
        # Handle states recorded again are current again (a rollback may have invalidated them).
        self.valid_handles: list[dict[str, Any]] = []

    def add(self, row: Any) -> None:
        ins = self.inserts
        row_type = type(row)
        # The two commonest rows first, built without namedtuple._asdict (a hot path).
        if row_type is JobStartRow:
            job = {
                "id": row.id,
                "execution_id": row.execution_id,
                "parent_id": row.parent_id,
                "task_hash": row.task_hash,
                "start_time": row.start_time,
                "cached": row.cached,
                "end_time": None,
                "call_hash": None,
            }
            ins["job"].append(job)
            self._jobs[row.id] = job
        elif row_type is JobEndRow:
            started = self._jobs.get(row.id)
            if started is not None:
                started["call_hash"] = row.call_hash
                started["end_time"] = row.end_time
                started["cached"] = row.cached
                return
            self.job_ends.append(
                {
                    "b_id": row.id,
                    "b_call_hash": row.call_hash,
                    "b_end_time": row.end_time,
                    "b_cached": row.cached,
                }
            )
        elif isinstance(row, ValueRow):
            self.values[row.value_hash] = {
                "value_hash": row.value_hash,
                "type": row.type,
                "format": row.format,
                "value": row.value,
            }
            ins["subvalue"].extend(
                {"value_hash": sub, "parent_value_hash": row.value_hash} for sub in row.subvalues
            )
            if row.file_path is not None:
                ins["file"].append({"value_hash": row.value_hash, "path": row.file_path})
        elif isinstance(row, TaskRow):
            ins["task"].append(row._asdict())
        elif isinstance(row, CallNodeRow):
            self._add_call_node(row)
        elif isinstance(row, EvaluationRow):
            ins["evaluation"].append(
                {
                    "eval_hash": row.eval_hash,
                    "task_hash": row.task_hash,
                    "args_hash": row.args_hash,
                    "value_hash": row.value_hash,
                }
            )
            if row.replace:
                # After the insert (ignored if the entry exists): the newest result wins.
                self.evaluation_updates[row.eval_hash] = row.value_hash
        elif isinstance(row, ExecutionRow):
            ins["execution"].append(row._asdict())
        elif isinstance(row, ExecutionUpdateRow):
            self.execution_updates.append({"b_id": row.id, "b_time": row.updated_time})
        elif isinstance(row, TagRow):
            self._add_tag(row)
        elif isinstance(row, HandleRow):
            self._add_handle(row)
        else:
            raise BackendError(f"cannot write row of type {type(row).__name__} to the database")

    def _add_call_node(self, row: CallNodeRow) -> None:
        ins = self.inserts
        call_hash = row.call_hash
        ins["call_node"].append(
            {
                "call_hash": call_hash,
                "task_name": row.task_name,
                "task_hash": row.task_hash,
                "args_hash": row.args_hash,
                "value_hash": row.value_hash,
                "timestamp": row.timestamp,
            }
        )
        ins["call_edge"].extend(
            {"parent_id": call_hash, "child_id": child, "call_order": order}
            for order, child in enumerate(row.children)
        )
        ins["call_subtree_task"].extend(
            {"call_hash": call_hash, "task_hash": task_hash} for task_hash in row.subtree_tasks
        )
        for arg in row.arguments:
            ins["argument"].append(
                {
                    "arg_hash": arg.arg_hash,
                    "call_hash": arg.call_hash,
                    "value_hash": arg.value_hash,
                    "arg_position": arg.arg_position,
                    "arg_key": arg.arg_key,
                }
            )
            ins["argument_result"].extend(
                {"arg_hash": arg.arg_hash, "result_call_hash": up} for up in arg.upstreams
            )

    def _add_tag(self, row: TagRow) -> None:
        self.inserts["tag"].append(
            {
                "tag_hash": row.tag_hash,
                "entity_type": row.entity_type,
                "entity_id": row.entity_id,
                "key": row.key,
                "value": row.value,
                "is_current": True,
            }
        )
        for parent in row.parents:
            self.inserts["tag_edit"].append({"parent_id": parent, "child_id": row.tag_hash})
            self.stale_tags.append({"b_hash": parent})

    def _add_handle(self, row: HandleRow) -> None:
        self.inserts["handle"].append(
            {
                "hash": row.hash,
                "fullname": row.fullname,
                "value_hash": row.value_hash,
                "key": row.key,
                "is_valid": row.is_valid,
            }
        )
        self.inserts["handle_edge"].extend(
            {"parent_id": parent, "child_id": row.hash} for parent in row.parents
        )
        if row.is_valid:
            self.valid_handles.append({"b_hash": row.hash})

    def commit(self, conn: Connection, insert_rows: InsertRows | None = None) -> None:
        """Run every statement of the batch inside the caller's transaction.

        ``insert_rows(conn, table, rows)`` replaces the generic idempotent executemany
        insert (a server backend may have a faster bulk form).
        """
        self.inserts["value"] = list(self.values.values())
        if getattr(conn, "is_direct", False):
            # A DBAPI connection (the SQLite fast path): no SQLAlchemy involved.
            conn.commit_batch(self)
            return
        from sqlalchemy import bindparam, update

        from redun.backends.db import tables

        # A server takes row locks as it inserts: one global order (tables in
        # INSERT_ORDER, rows by key) keeps concurrent writers from deadlocking. Jobs
        # keep their queue order (a parent before its children); their ids are unique
        # to one process, so they never contend.
        ordered = conn.dialect.name != "sqlite"
        for name in INSERT_ORDER:
            params = self.inserts[name]
            if params:
                table = tables.metadata.tables[name]
                if ordered and not _self_referencing(table):
                    keys = [column.name for column in table.primary_key.columns]
                    params.sort(key=itemgetter(*keys))
                if insert_rows is not None:
                    insert_rows(conn, table, params)
                else:
                    conn.execute(insert_ignore(table, conn.dialect.name), params)
        job, execution, tag = tables.job, tables.execution, tables.tag
        if self.evaluation_updates:
            evaluation = tables.evaluation
            stmt = (
                update(evaluation)
                .where(evaluation.c.eval_hash == bindparam("b_hash"))
                .values(value_hash=bindparam("b_value"))
            )
            conn.execute(
                stmt,
                [{"b_hash": k, "b_value": v} for k, v in self.evaluation_updates.items()],
            )
        if self.job_ends:
            stmt = (
                update(job)
                .where(job.c.id == bindparam("b_id"))
                .values(
                    call_hash=bindparam("b_call_hash"),
                    end_time=bindparam("b_end_time"),
                    cached=bindparam("b_cached"),
                )
            )
            conn.execute(stmt, self.job_ends)
        if self.execution_updates:
            stmt = (
                update(execution)
                .where(execution.c.id == bindparam("b_id"))
                .values(updated_time=bindparam("b_time"))
            )
            conn.execute(stmt, self.execution_updates)
        if self.stale_tags:
            stmt = update(tag).where(tag.c.tag_hash == bindparam("b_hash")).values(is_current=False)
            conn.execute(stmt, self.stale_tags)
        if self.valid_handles:
            handle = tables.handle
            stmt = update(handle).where(handle.c.hash == bindparam("b_hash")).values(is_valid=True)
            conn.execute(stmt, self.valid_handles)


def insert_ignore(table: Any, dialect_name: str) -> Any:
    """An INSERT that skips rows whose key already exists (idempotent writes)."""
    if dialect_name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing()
    from sqlalchemy import insert

    return insert(table).prefix_with("OR IGNORE")


class Writer:
    """A daemon thread that drains queued rows into the database.

    ``lock`` guards the connection when it is shared with readers (in-memory SQLite);
    ``retry`` says which failed batches are tried again and when (SQLite's lock
    contention by default; a server backend passes its own); ``insert_rows`` is the
    dialect's bulk insert.
    """

    def __init__(
        self,
        engine: Engine,
        lock: AbstractContextManager[Any],
        max_batch_rows: int = MAX_BATCH_ROWS,
        retry: RetryPolicy = LOCK_RETRY,
        insert_rows: InsertRows | None = None,
        max_backlog_rows: int = MAX_BACKLOG_ROWS,
    ) -> None:
        self._engine = engine
        self._retry = retry
        self._insert_rows = insert_rows
        self._lock = lock
        self._max_batch_rows = max_batch_rows
        self._max_backlog_rows = max_backlog_rows
        self._queue: deque[list[Any]] = deque()
        self._cond = threading.Condition()
        self._submitted = 0
        self._committed = 0
        self._error: BaseException | None = None
        self._stopping = False
        # Rows queued and not yet taken by the writer; flush() calls waiting right now.
        self._queued = 0
        self._waiters = 0
        self._thread: threading.Thread | None = None
        self._executions: set[str] = set()

    @property
    def wrote(self) -> bool:
        """Whether any rows were ever queued (so closing may leave pages in a WAL)."""
        return self._submitted > 0

    def write(self, rows: Iterable[Any]) -> None:
        """Queue rows; returns at once."""
        rows = list(rows)
        if not rows:
            return
        with self._cond:
            if self._stopping:
                raise BackendError("cannot write to a closed backend; call load() again")
            was_empty = not self._queue
            self._queue.append(rows)
            self._queued += len(rows)
            self._submitted += 1
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="redun-db-writer", daemon=True
                )
                self._thread.start()
            # Wake the writer only when there is news for it: work after idleness, or a
            # full batch (waking it on every job would cost the scheduler the GIL).
            if was_empty or self._queued >= self._max_batch_rows:
                self._cond.notify_all()
            while (
                self._queued >= self._max_backlog_rows
                and self._error is None
                and not self._stopping
                and self._thread is not None
                and self._thread.is_alive()
            ):
                self._cond.wait(0.1)

    def flush(self) -> None:
        """Wait until every write queued before this call is committed."""
        with self._cond:
            target = self._submitted
            self._waiters += 1
            self._cond.notify_all()
            try:
                while self._committed < target and self._thread is not None:
                    self._cond.wait()
            finally:
                self._waiters -= 1
            error, self._error = self._error, None
        if error is not None:
            raise BackendError(f"writing to the database failed: {first_line(error)}") from error

    def close(self) -> None:
        """Flush, then stop the thread. Idempotent."""
        try:
            self.flush()
        finally:
            with self._cond:
                self._stopping = True
                thread, self._thread = self._thread, None
                self._cond.notify_all()
            if thread is not None:
                thread.join()

    def _run(self) -> None:
        # A server checks foreign keys at commit (SQLite does not): a root job's row must
        # not commit before its execution's, which the scheduler queues just after it.
        wait_for_executions = self._engine.dialect.name != "sqlite"
        with self._engine.connect() as conn:
            conn = conn.execution_options(**{IMMEDIATE: True})
            while True:
                with self._cond:
                    while not self._queue and not self._stopping:
                        self._cond.wait()
                    if not self._queue:
                        return
                    if not self._stopping and not self._waiters:
                        # Linger briefly so one transaction takes many jobs' rows (a job's
                        # start and end then fold into one insert); a flush cuts it short.
                        deadline = time.monotonic() + LINGER_S
                        while not self._stopping and not self._waiters:
                            remaining = deadline - time.monotonic()
                            if remaining <= 0 or self._queued >= self._max_batch_rows:
                                break
                            self._cond.wait(remaining)
                    chunks = self._pop_chunks()
                    if wait_for_executions:
                        self._await_executions(chunks)
                error = self._commit(conn, chunks)
                with self._cond:
                    self._committed += len(chunks)
                    if error is not None and self._error is None:
                        self._error = error
                    self._cond.notify_all()

    def _pop_chunks(self) -> list[list[Any]]:
        chunks, count = [], 0
        while self._queue and count < self._max_batch_rows:
            chunk = self._queue.popleft()
            chunks.append(chunk)
            count += len(chunk)
        self._queued -= count
        return chunks

    def _await_executions(self, chunks: list[list[Any]]) -> None:
        """Add queued chunks until every root job's execution row is in the batch.

        Called with ``self._cond`` held; gives up after ``EXECUTION_WAIT_S`` (the commit
        then reports the missing execution).
        """
        deadline = time.monotonic() + EXECUTION_WAIT_S
        while True:
            missing = _missing_executions(chunks) - self._executions
            if not missing:
                break
            if self._queue:
                chunks.extend(self._pop_chunks())
                continue
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._stopping:
                break
            self._cond.wait(remaining)
        for chunk in chunks:
            self._executions.update(row.id for row in chunk if isinstance(row, ExecutionRow))

    def _commit(self, conn: Connection, chunks: list[list[Any]]) -> BaseException | None:
        try:
            batch = Batch()
            for chunk in chunks:
                for row in chunk:
                    batch.add(row)
        except BackendError as exc:
            logger.error("%s", exc)
            return exc

        def commit_batch() -> None:
            with self._lock, conn.begin():
                batch.commit(conn, self._insert_rows)

        try:
            self._retry.call(commit_batch, what="redun database write")
        except Exception as exc:  # noqa: BLE001 - reported through flush()
            logger.error("redun database writer failed: %s", first_line(exc))
            return exc
        return None


def _missing_executions(chunks: list[list[Any]]) -> set[str]:
    """Executions whose root job is in ``chunks`` but whose own row is not."""
    roots, present = set(), set()
    for chunk in chunks:
        for row in chunk:
            if isinstance(row, JobStartRow) and row.parent_id is None:
                roots.add(row.execution_id)
            elif isinstance(row, ExecutionRow):
                present.add(row.id)
    return roots - present


def _self_referencing(table: Any) -> bool:
    return any(fk.column.table is table for fk in table.foreign_keys)
