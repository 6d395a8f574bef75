"""Push and pull: copy the records one repository lacks from another.

The walk (``sync_walk``) decides which records are missing; this module streams their
rows, table by table in foreign-key order and in chunks, into the destination inside
one transaction that commits only at the end. A push that fails part-way (unreachable
database, a rejected insert, Ctrl-C) therefore leaves the destination as it was, and a
push that is retried simply starts again. Inserts are idempotent (``ON CONFLICT DO
NOTHING``), so a record another process wrote in the meantime is not an error.

Everything is SQLAlchemy Core against the shared models, so the same code syncs
SQLite and PostgreSQL repositories in either direction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from redun.backends.db.sync_walk import IN_CHUNK, SyncPlan, all_execution_ids, chunked, walk
from redun.backends.db.tables import (
    Argument,
    ArgumentResult,
    CallEdge,
    CallNode,
    CallSubtreeTask,
    Evaluation,
    Execution,
    File,
    Job,
    Subvalue,
    Tag,
    TagEdit,
    Task,
    Value,
)
from redun.errors import BackendError, UsageError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from redun.backends.base import RedunBackend

logger = logging.getLogger("redun.backends.db")

# Rows per INSERT statement while streaming.
INSERT_CHUNK = 1000
# Kinds `redun push/pull ID` accepts as roots (what `resolve_id` returns).
ROOT_KINDS = ("Execution", "Job", "CallNode", "Task", "Value")


@dataclass(frozen=True)
class SyncResult:
    """What a push or pull sent: new executions and records of every kind."""

    executions: int
    records: int

    def describe(self, verb: str, repo: str) -> str:
        """The one-line report of ``redun push``/``pull``, in upstream's words (scripts
        parse it); the execution count goes to the log."""
        if verb == "Pulled":
            return f"Pulled {self.records} new record(s) from repo '{repo}'"
        if not self.records:
            return f"Repo '{repo}' is up to date."
        return f"{verb} {self.records} record(s) to repo '{repo}'"


# (table, key column, plan kind): rows whose key is in the plan's ids of that kind, in
# an order where a row is inserted after every row it references.
COPY_STEPS: tuple[tuple[Any, str, str], ...] = (
    (Value, "value_hash", "Value"),
    (Subvalue, "parent_value_hash", "Value"),
    (File, "value_hash", "Value"),
    (Task, "hash", "Task"),
    (CallNode, "call_hash", "CallNode"),
    (CallEdge, "parent_id", "CallNode"),
    (CallSubtreeTask, "call_hash", "CallNode"),
    (Argument, "call_hash", "CallNode"),
    (ArgumentResult, "", "CallNode"),
    (Evaluation, "eval_hash", "Evaluation"),
    (Job, "id", "Job"),
    (Execution, "id", "Execution"),
    (Tag, "tag_hash", "Tag"),
    (TagEdit, "child_id", "Tag"),
)


def insert_ignore(table: Any, dialect_name: str) -> Any:
    """An INSERT that skips rows whose primary key already exists."""
    if dialect_name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing()
    if dialect_name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table).on_conflict_do_nothing()
    from sqlalchemy import insert

    return insert(table).prefix_with("IGNORE")


def insert_rows(conn: Connection, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    """Idempotently insert ``rows`` into ``table`` in statements of ``INSERT_CHUNK``."""
    statement = insert_ignore(table, conn.dialect.name)
    for start in range(0, len(rows), INSERT_CHUNK):
        conn.execute(statement, list(rows[start : start + INSERT_CHUNK]))


def _source_rows(src: Connection, table: Any, key: str, ids: Sequence[str]) -> Iterator[list]:
    from sqlalchemy import select

    if table is ArgumentResult.__table__:
        arg = Argument.__table__
        for part in chunked(list(ids)):
            args = select(arg.c.arg_hash).where(arg.c.call_hash.in_(part))
            yield [
                dict(r._mapping)
                for r in src.execute(select(table).where(table.c.arg_hash.in_(args)))
            ]
        return
    column = table.c[key]
    for part in chunked(list(ids), IN_CHUNK):
        yield [dict(row._mapping) for row in src.execute(select(table).where(column.in_(part)))]


def copy_plan(src: Connection, dest: Connection, plan: SyncPlan) -> None:
    """Stream every planned row from ``src`` into ``dest`` (the caller's transaction)."""
    from sqlalchemy import bindparam, update

    job_order = {id_: index for index, id_ in enumerate(plan.ids["Job"])}
    for model, key, kind in COPY_STEPS:
        ids = plan.ids[kind]
        if not ids:
            continue
        table = model.__table__
        for rows in _source_rows(src, table, key, ids):
            if model is Job:
                # Parents first: job.parent_id references job.
                rows.sort(key=lambda row: job_order.get(row["id"], 0))
            insert_rows(dest, table, rows)
    job = Job.__table__
    for part in chunked(plan.job_ends):
        rows = [
            {"b_id": r.id, "b_call": r.call_hash, "b_end": r.end_time, "b_cached": r.cached}
            for r in src.execute(job.select().where(job.c.id.in_(part)))
        ]
        statement = (
            update(job)
            .where(job.c.id == bindparam("b_id"))
            .values(
                call_hash=bindparam("b_call"),
                end_time=bindparam("b_end"),
                cached=bindparam("b_cached"),
            )
        )
        if rows:
            dest.execute(statement, rows)
    mark_edited_tags(dest, plan.ids["Tag"])


def mark_edited_tags(conn: Connection, tags: Sequence[str]) -> None:
    """Among ``tags`` and the tags they edit, those that were edited stop being current.

    Only the leaves of an edit chain are current; the rest of the table is untouched
    (upstream re-scans every tag after each sync).
    """
    from sqlalchemy import select, update

    tag, edit = Tag.__table__, TagEdit.__table__
    for part in chunked(list(tags)):
        parents = select(edit.c.parent_id).where(edit.c.child_id.in_(part))
        conn.execute(update(tag).where(tag.c.tag_hash.in_(parents)).values(is_current=False))
        edited = select(edit.c.parent_id).where(edit.c.parent_id.in_(part))
        conn.execute(update(tag).where(tag.c.tag_hash.in_(edited)).values(is_current=False))


@contextmanager
def read_transaction(backend: RedunBackend) -> Iterator[Connection]:
    """A consistent read of a SQL backend."""
    transaction = getattr(backend, "transaction", None)
    if transaction is None:
        raise UsageError(f"{type(backend).__name__} is not a SQL backend; sync needs one")
    with transaction() as conn:
        yield conn


@contextmanager
def write_transaction(backend: RedunBackend) -> Iterator[Connection]:
    """One write transaction (write lock taken up front on SQLite)."""
    transaction = getattr(backend, "transaction", None)
    if transaction is None:
        raise UsageError(f"{type(backend).__name__} is not a SQL backend; sync needs one")
    try:
        context = transaction(immediate=True)
    except TypeError:
        context = transaction()
    with context as conn:
        yield conn


def resolve_roots(conn: Connection, ids: Sequence[str]) -> dict[str, list[str]]:
    """Group id prefixes (or ``-``/``~N``) by record kind; all executions when none."""
    from redun.backends.db.queries import resolve_id

    if not ids:
        return {"Execution": all_execution_ids(conn)}
    roots: dict[str, list[str]] = {}
    for text in ids:
        kind, full_id = resolve_id(conn, text)
        roots.setdefault(kind, []).append(full_id)
    return roots


def same_database(a: RedunBackend, b: RedunBackend) -> bool:
    uri_a, uri_b = getattr(a, "db_uri", None), getattr(b, "db_uri", None)
    return uri_a is not None and uri_a == uri_b and ":memory:" not in uri_a


def sync(
    src: RedunBackend,
    dest: RedunBackend,
    root_ids: Sequence[str] = (),
    on_plan: Callable[[SyncPlan], None] | None = None,
) -> SyncResult:
    """Copy what ``dest`` lacks of ``root_ids`` (all executions by default) from ``src``.

    Both backends must be loaded. Ids are resolved on the source (prefixes, ``-``,
    ``~N``). The destination changes only if the whole copy succeeds.

    Raises
    ------
    UsageError
        An id is unknown or ambiguous in the source, or both are the same database.
    BackendError
        Reading the source or writing the destination failed (nothing was written).
    """
    from sqlalchemy.exc import SQLAlchemyError

    if same_database(src, dest):
        raise UsageError(f"cannot sync repository {getattr(src, 'db_uri', '')} with itself")
    src.flush()
    dest.flush()
    where = getattr(dest, "where", getattr(dest, "db_uri", "the destination"))
    try:
        with read_transaction(src) as src_conn:
            roots = resolve_roots(src_conn, root_ids)
            with write_transaction(dest) as dest_conn:
                plan = walk(src_conn, dest_conn, roots)
                if on_plan is not None:
                    on_plan(plan)
                copy_plan(src_conn, dest_conn, plan)
    except (SQLAlchemyError, BackendError) as exc:
        detail = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise BackendError(f"sync into {where} failed, nothing was written: {detail}") from exc
    logger.info("synced %d executions, %d records", plan.executions, plan.records)
    return SyncResult(plan.executions, plan.records)
