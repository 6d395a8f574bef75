"""`redun gc`: delete what no kept execution's lineage needs, safely beside running writers.

What is kept: the executions a policy names (the last N, those tagged with a key, those
newer than a cutoff), every execution active within the last hour (runs in progress),
and executions whose jobs are parents of kept jobs (subruns). From their jobs, every call
node reachable through call edges and argument lineage; from those, their values,
arguments, first-round cache entries (evaluations) and their values, sub-values, tasks'
companion values, handle values and context values. Everything else goes.

Safety beside running workflows. A run reads the cache and writes its rows a little
later, so a plain mark-and-sweep could delete a value a run just decided to reuse. Hence
two phases: first the cache index (evaluations) of what will go is deleted and committed,
so runs stop finding it; after ``settle`` seconds, the mark is redone and the sweep runs
in one write transaction that deletes only rows that existed when it marked (snapshots
of doomed keys) and first spares any doomed row a row written since still points at.
The schema is untouched (upstream's 3.5): marks live in temporary tables.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

ACTIVE_WINDOW = timedelta(hours=1)
CHUNK = 500
CONTEXT_TAG = "redun.context"
LARGEST = 10
# Temporary tables of keys (one column, ``k``): the kept marks, two scratch frontiers for
# walking graphs level by level, and the snapshots of doomed keys.
TEMP_TABLES = (
    "gc_exec",
    "gc_call",
    "gc_eval",
    "gc_value",
    "gc_front",
    "gc_next",
    "gc_doomed_exec",
    "gc_doomed_job",
    "gc_doomed_call",
    "gc_doomed_eval",
    "gc_doomed_value",
)


@dataclass
class GcPolicy:
    """Which executions to keep; an execution kept by any rule is kept."""

    keep_last: int | None = None
    keep_tagged: Sequence[str] = ()
    older_than: timedelta | None = None
    # Executions started or updated this recently are always kept: they may be running.
    active_window: timedelta = ACTIVE_WINDOW
    now: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass
class GcReport:
    """What a collection deleted (or, dry, would delete)."""

    executions_kept: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    value_bytes: int = 0
    largest: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def executions_deleted(self) -> int:
        return self.rows.get("execution", 0)


class _Sql:
    """Plain SQL on one connection, worded for its dialect."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.pg = conn.dialect.name == "postgresql"

    def run(self, sql: str, params: dict | None = None) -> Any:
        from sqlalchemy import text

        return self.conn.execute(text(sql), params or {})

    def rows(self, sql: str, params: dict | None = None) -> list[tuple]:
        return [tuple(row) for row in self.run(sql, params)]

    def count(self, sql: str) -> int:
        return int(self.rows(sql)[0][0] or 0)

    def insert(self, table: str, select: str, params: dict | None = None) -> int:
        """Insert the keys ``select`` yields into a temporary table, skipping duplicates."""
        if self.pg:
            sql = f"INSERT INTO {table} {select} ON CONFLICT DO NOTHING"
        else:
            sql = f"INSERT OR IGNORE INTO {table} {select}"
        return self.run(sql, params).rowcount or 0

    def insert_keys(self, table: str, keys: Sequence[str]) -> None:
        for start in range(0, len(keys), CHUNK):
            part = keys[start : start + CHUNK]
            names = {f"k{i}": key for i, key in enumerate(part)}
            values = ", ".join(f"(:{name})" for name in names)
            if self.pg:
                self.run(f"INSERT INTO {table} (k) VALUES {values} ON CONFLICT DO NOTHING", names)
            else:
                self.run(f"INSERT OR IGNORE INTO {table} (k) VALUES {values}", names)

    def create_temp_tables(self) -> None:
        for table in TEMP_TABLES:
            if self.pg:
                self.run(f"CREATE TEMP TABLE {table} (k VARCHAR PRIMARY KEY) ON COMMIT DROP")
            else:
                self.run(f"DROP TABLE IF EXISTS temp.{table}")
                self.run(f"CREATE TEMP TABLE {table} (k VARCHAR PRIMARY KEY)")

    def drop_temp_tables(self) -> None:
        if not self.pg:
            for table in TEMP_TABLES:
                self.run(f"DROP TABLE IF EXISTS temp.{table}")


def _as_utc(value: Any) -> datetime | None:
    from redun.backends.db.saved import parse_time

    return parse_time(value)


def kept_executions(sql: _Sql, policy: GcPolicy) -> tuple[list[str], int]:
    """Ids of the executions the policy keeps (with active ones), and how many exist."""
    from sqlalchemy import select

    from redun.backends.db.tables import Tag

    rows = sql.rows(
        "SELECT e.id, j.start_time, e.updated_time FROM execution e JOIN job j ON j.id = e.job_id"
    )
    started = {id_: (_as_utc(start), _as_utc(updated)) for id_, start, updated in rows}
    ordered = sorted(started, key=lambda i: started[i][0] or policy.now, reverse=True)
    kept: set[str] = set()
    if policy.keep_last:
        kept.update(ordered[: policy.keep_last])
    if policy.keep_tagged:
        tag = Tag.__table__
        query = select(tag.c.entity_id).where(
            tag.c.entity_type == "Execution",
            tag.c.key.in_(list(policy.keep_tagged)),
            tag.c.is_current.is_(True),
        )
        kept.update(row[0] for row in sql.conn.execute(query) if row[0] in started)
    active_since = policy.now - policy.active_window
    cutoff = policy.now - policy.older_than if policy.older_than is not None else None
    for id_, (start, updated) in started.items():
        latest = max([t for t in (start, updated) if t is not None], default=None)
        if latest is None:
            continue
        if latest >= active_since or (cutoff is not None and latest >= cutoff):
            kept.add(id_)
    return sorted(kept), len(started)


def _close_executions(sql: _Sql) -> None:
    """Keep the executions holding parents of kept jobs (a subrun hangs under another)."""
    while sql.insert(
        "gc_exec",
        "SELECT DISTINCT p.execution_id FROM job j JOIN job p ON p.id = j.parent_id "
        "WHERE j.execution_id IN (SELECT k FROM gc_exec) "
        "AND p.execution_id NOT IN (SELECT k FROM gc_exec)",
    ):
        pass


def _closure(sql: _Sql, kept: str, steps: Sequence[str]) -> None:
    """Add to ``kept`` everything reachable from it, level by level: each step selects
    the keys one level below the keys in ``gc_front``."""
    sql.run("DELETE FROM gc_front")
    sql.insert("gc_front", f"SELECT k FROM {kept}")
    while True:
        sql.run("DELETE FROM gc_next")
        added = 0
        for step in steps:
            added += sql.insert(
                "gc_next", f"SELECT x.k FROM ({step}) x WHERE x.k NOT IN (SELECT k FROM {kept})"
            )
        if not added:
            return
        sql.insert(kept, "SELECT k FROM gc_next")
        sql.run("DELETE FROM gc_front")
        sql.insert("gc_front", "SELECT k FROM gc_next")


_CALL_STEPS = (
    "SELECT e.child_id AS k FROM call_edge e JOIN gc_front f ON e.parent_id = f.k",
    "SELECT r.result_call_hash AS k FROM argument a "
    "JOIN argument_result r ON r.arg_hash = a.arg_hash JOIN gc_front f ON a.call_hash = f.k",
)
_VALUE_STEPS = (
    "SELECT s.value_hash AS k FROM subvalue s JOIN gc_front f ON s.parent_value_hash = f.k",
)


def _context_values(sql: _Sql) -> list[str]:
    """Value hashes of the contexts kept call nodes ran with (``redun.context`` tags)."""
    import json

    rows = sql.rows(
        "SELECT t.value FROM tag t JOIN gc_call c ON c.k = t.entity_id WHERE t.key = :key",
        {"key": CONTEXT_TAG},
    )
    hashes = []
    for (value,) in rows:
        if isinstance(value, str) and value.startswith('"'):
            value = json.loads(value)  # SQLite keeps JSON text
        if isinstance(value, str):
            hashes.append(value)
    return hashes


def _mark_values(sql: _Sql) -> None:
    kept_calls = "SELECT k FROM gc_call"
    sql.insert(
        "gc_eval",
        "SELECT ev.eval_hash FROM evaluation ev JOIN call_node n "
        "ON n.task_hash = ev.task_hash AND n.args_hash = ev.args_hash "
        f"WHERE n.call_hash IN ({kept_calls})",
    )
    roots = [
        f"SELECT value_hash FROM call_node WHERE call_hash IN ({kept_calls})",
        f"SELECT value_hash FROM argument WHERE call_hash IN ({kept_calls})",
        "SELECT value_hash FROM evaluation WHERE eval_hash IN (SELECT k FROM gc_eval)",
        "SELECT value_hash FROM handle WHERE value_hash IS NOT NULL",
        "SELECT v.value_hash FROM value v JOIN task t ON t.hash = v.value_hash",
    ]
    for select in roots:
        sql.insert("gc_value", select)
    sql.insert_keys("gc_value", _context_values(sql))
    _closure(sql, "gc_value", _VALUE_STEPS)


def mark(sql: _Sql, policy: GcPolicy) -> int:
    """Fill the kept and doomed temporary tables; returns how many executions are kept."""
    for table in TEMP_TABLES:
        sql.run(f"DELETE FROM {table}")
    kept, _ = kept_executions(sql, policy)
    sql.insert_keys("gc_exec", kept)
    _close_executions(sql)
    sql.insert(
        "gc_call",
        "SELECT DISTINCT call_hash FROM job WHERE call_hash IS NOT NULL "
        "AND execution_id IN (SELECT k FROM gc_exec)",
    )
    _closure(sql, "gc_call", _CALL_STEPS)
    _mark_values(sql)
    doomed = {
        "gc_doomed_exec": ("id", "execution", "id NOT IN (SELECT k FROM gc_exec)"),
        "gc_doomed_job": ("id", "job", "execution_id IN (SELECT k FROM gc_doomed_exec)"),
        "gc_doomed_call": ("call_hash", "call_node", "call_hash NOT IN (SELECT k FROM gc_call)"),
        "gc_doomed_eval": ("eval_hash", "evaluation", "eval_hash NOT IN (SELECT k FROM gc_eval)"),
        "gc_doomed_value": ("value_hash", "value", "value_hash NOT IN (SELECT k FROM gc_value)"),
    }
    for table, (column, source, where) in doomed.items():
        sql.insert(table, f"SELECT {column} FROM {source} WHERE {where}")
    return sql.count("SELECT COUNT(*) FROM gc_exec")


# Rows to delete, per table, in an order that never leaves a row pointing at a deleted one.
_DOOMED_TAGS = (
    "(entity_type = 'Execution' AND entity_id IN (SELECT k FROM gc_doomed_exec)) "
    "OR (entity_type = 'Job' AND entity_id IN (SELECT k FROM gc_doomed_job)) "
    "OR (entity_type = 'CallNode' AND entity_id IN (SELECT k FROM gc_doomed_call)) "
    "OR (entity_type = 'Value' AND entity_id IN (SELECT k FROM gc_doomed_value))"
)
_CALLS = "SELECT k FROM gc_doomed_call"
_VALUES = "SELECT k FROM gc_doomed_value"
DELETES: list[tuple[str, str]] = [
    (
        "tag_edit",
        f"parent_id IN (SELECT tag_hash FROM tag WHERE {_DOOMED_TAGS}) "
        f"OR child_id IN (SELECT tag_hash FROM tag WHERE {_DOOMED_TAGS})",
    ),
    ("tag", _DOOMED_TAGS),
    (
        "argument_result",
        f"arg_hash IN (SELECT arg_hash FROM argument WHERE call_hash IN ({_CALLS})) "
        f"OR result_call_hash IN ({_CALLS})",
    ),
    ("argument", f"call_hash IN ({_CALLS})"),
    ("call_edge", f"parent_id IN ({_CALLS}) OR child_id IN ({_CALLS})"),
    ("call_subtree_task", f"call_hash IN ({_CALLS})"),
    ("job", "id IN (SELECT k FROM gc_doomed_job)"),
    ("execution", "id IN (SELECT k FROM gc_doomed_exec)"),
    ("call_node", f"call_hash IN ({_CALLS})"),
    ("evaluation", "eval_hash IN (SELECT k FROM gc_doomed_eval)"),
    ("file", f"value_hash IN ({_VALUES})"),
    ("subvalue", f"value_hash IN ({_VALUES}) OR parent_value_hash IN ({_VALUES})"),
    ("value", f"value_hash IN ({_VALUES})"),
]

# Before a table's rows go: spare doomed rows that a row written since the mark (by a
# run going on beside us) points at.
_SPARE = {
    "call_node": (
        "gc_doomed_call",
        "k IN (SELECT call_hash FROM job WHERE call_hash IS NOT NULL) "
        "OR k IN (SELECT child_id FROM call_edge)",
    ),
    "value": (
        "gc_doomed_value",
        "k IN (SELECT value_hash FROM call_node) "
        "OR k IN (SELECT value_hash FROM argument) "
        "OR k IN (SELECT value_hash FROM evaluation) "
        "OR k IN (SELECT value_hash FROM subvalue)",
    ),
}


def measure(sql: _Sql, executions_kept: int) -> GcReport:
    report = GcReport(executions_kept)
    for table, where in DELETES:
        report.rows[table] = sql.count(f"SELECT COUNT(*) FROM {table} WHERE {where}")
    report.value_bytes = sql.count(
        f"SELECT COALESCE(SUM(LENGTH(value)), 0) FROM value WHERE value_hash IN ({_VALUES})"
    )
    report.largest = [
        (h, t, int(n or 0))
        for h, t, n in sql.rows(
            f"SELECT value_hash, type, LENGTH(value) FROM value WHERE value_hash IN ({_VALUES}) "
            f"ORDER BY LENGTH(value) DESC LIMIT {LARGEST}"
        )
    ]
    return report


def sweep(sql: _Sql) -> dict[str, int]:
    deleted: dict[str, int] = {}
    for table, where in DELETES:
        spare = _SPARE.get(table)
        if spare is not None:
            snapshot, still_used = spare
            sql.run(f"DELETE FROM {snapshot} WHERE {still_used}")
        deleted[table] = sql.run(f"DELETE FROM {table} WHERE {where}").rowcount or 0
    return deleted


def collect(backend: Any, policy: GcPolicy, dry_run: bool = True, settle: float = 2.0) -> GcReport:
    """Delete (or, dry, measure) what the policy does not keep; see the module docstring."""
    if dry_run:
        with backend.transaction() as conn:
            sql = _Sql(conn)
            sql.create_temp_tables()
            try:
                return measure(sql, mark(sql, policy))
            finally:
                sql.drop_temp_tables()
    # Phase 1: runs stop finding what will go in the cache.
    with backend.transaction(immediate=True) as conn:
        sql = _Sql(conn)
        sql.create_temp_tables()
        try:
            mark(sql, policy)
            early = sql.run(
                "DELETE FROM evaluation WHERE eval_hash IN (SELECT k FROM gc_doomed_eval)"
            ).rowcount
        finally:
            sql.drop_temp_tables()
    time.sleep(settle)
    # Phase 2: mark again (what runs wrote meanwhile is kept) and sweep, in one transaction.
    with backend.transaction(immediate=True) as conn:
        sql = _Sql(conn)
        sql.create_temp_tables()
        try:
            report = measure(sql, mark(sql, policy))
            report.rows = sweep(sql)
            report.rows["evaluation"] += early or 0
        finally:
            sql.drop_temp_tables()
    return report
