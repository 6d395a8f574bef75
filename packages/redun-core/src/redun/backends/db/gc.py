"""`redun gc`: delete what no kept execution's lineage needs, safely beside running runs.

What is kept is marked by ``gc_mark``. The difficulty is a run going on meanwhile: it
looks a call node up in the cache and records a reference to it (its job row, a call
edge) a little later, without writing the node again, and it never writes a value twice.
A plain mark-and-sweep could delete a row between that lookup and that write. Hence two
phases:

1. In one transaction during which no run can write (SQLite: BEGIN IMMEDIATE;
   PostgreSQL: table locks, reads go on), mark, delete the doomed cache entries
   (evaluations) and *hide* the doomed call nodes (``gc_mark.hide_doomed_calls``).
   From its commit on, no cache lookup returns a doomed row: runs rerun such jobs and
   write their rows anew.
2. After ``settle`` seconds (longer than a run takes to record what it looked up),
   mark again and sweep, in another such transaction. Every call node not hidden
   counts as kept, so only rows that were doomed at phase 1 and are still unreferenced
   are deleted; a hidden node that a run referenced meanwhile is kept and shown again.

The schema is untouched (upstream's 3.5): marks live in temporary tables.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from redun.backends.db.gc_mark import (
    GcPolicy,
    hide_doomed_calls,
    mark,
    show_kept_calls,
)
from redun.backends.db.gc_sql import GcSql

LARGEST = 10
SETTLE_S = 5.0

__all__ = ["DELETES", "GcPolicy", "GcReport", "collect"]


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


# Rows to delete, per table, in an order that never leaves a row pointing at a deleted
# one (PostgreSQL checks every foreign key at once).
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


def measure(sql: GcSql, executions_kept: int) -> GcReport:
    """Rows per table, bytes of value data and the largest values that the doomed marks
    would delete."""
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
            f"ORDER BY LENGTH(value) DESC, value_hash LIMIT {LARGEST}"
        )
    ]
    return report


def sweep(sql: GcSql) -> dict[str, int]:
    return {
        table: sql.run(f"DELETE FROM {table} WHERE {where}").rowcount or 0
        for table, where in DELETES
    }


def collect(
    backend: Any, policy: GcPolicy, dry_run: bool = True, settle: float = SETTLE_S
) -> GcReport:
    """Delete (or, dry, measure) what the policy does not keep; see the module docstring."""
    if dry_run:
        with backend.transaction() as conn:
            sql = GcSql(conn)
            sql.create_temp_tables()
            try:
                return measure(sql, mark(sql, policy, keep_visible=False))
            finally:
                sql.drop_temp_tables()
    # Phase 1: no cache lookup finds what will go. Marked with writers held off, so the
    # marks and what they delete or hide come from one state of the repository.
    with backend.transaction(immediate=True) as conn:
        sql = GcSql(conn)
        sql.lock_out_writers()
        sql.create_temp_tables()
        try:
            mark(sql, policy, keep_visible=False)
            early = sql.run(
                "DELETE FROM evaluation WHERE eval_hash IN (SELECT k FROM gc_doomed_eval)"
            ).rowcount
            hide_doomed_calls(sql)
        finally:
            sql.drop_temp_tables()
    time.sleep(settle)
    # Phase 2: no run writes until this commits; mark again and delete what is still
    # doomed and was hidden.
    with backend.transaction(immediate=True) as conn:
        sql = GcSql(conn)
        sql.lock_out_writers()
        sql.create_temp_tables()
        try:
            report = measure(sql, mark(sql, policy, keep_visible=True))
            show_kept_calls(sql)
            report.rows = sweep(sql)
            report.rows["evaluation"] += early or 0
        finally:
            sql.drop_temp_tables()
    return report
