"""What `redun gc` keeps: the marks, computed into the temporary tables of ``gc_sql``.

Kept: the executions a policy names, every execution active within the active window
(runs in progress), and executions holding parents of kept jobs (subruns). From their
jobs, every call node reachable through call edges and argument lineage; from those,
their values and arguments, the cache entries (evaluations) of their task and arguments,
the cache entries of tasks whose jobs are still running in a kept execution (a running
job's entry is written before its call node), sub-values, tasks' companion values,
handle values and context values. Everything else is doomed.

A call node whose ``args_hash`` is upper case is *hidden*: the first phase of a
collection hid it (``hide_doomed_calls``) so that no run's cache lookup finds it, and
only hidden call nodes are ever deleted. Hashes are lower-case hex, so a run never asks
for an upper-case one; ``is_hidden`` lets the reads that look call nodes up by their
hash skip hidden ones.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from redun.backends.db.gc_sql import GcSql

ACTIVE_WINDOW = timedelta(hours=1)
CONTEXT_TAG = "redun.context"
VISIBLE = "args_hash = LOWER(args_hash)"


def is_hidden(args_hash: str | None) -> bool:
    """Whether a call node is hidden by a collection in progress (see the module doc)."""
    return bool(args_hash) and args_hash != args_hash.lower()


@dataclass
class GcPolicy:
    """Which executions to keep; an execution kept by any rule is kept."""

    keep_last: int | None = None
    keep_tagged: Sequence[str] = ()
    older_than: timedelta | None = None
    # Executions started or updated this recently are always kept: they may be running.
    active_window: timedelta = ACTIVE_WINDOW
    now: datetime = field(default_factory=lambda: datetime.now(UTC))


def kept_executions(sql: GcSql, policy: GcPolicy) -> list[str]:
    """Ids of the executions the policy keeps, active ones included."""
    from redun.backends.db.saved import parse_time

    rows = sql.rows(
        "SELECT e.id, j.start_time, e.updated_time FROM execution e JOIN job j ON j.id = e.job_id"
    )
    times = {id_: (parse_time(start), parse_time(updated)) for id_, start, updated in rows}
    newest_first = sorted(times, key=lambda i: times[i][0] or policy.now, reverse=True)
    kept: set[str] = set(newest_first[: policy.keep_last or 0])
    if policy.keep_tagged:
        names = {f"t{i}": key for i, key in enumerate(policy.keep_tagged)}
        marks = ", ".join(f":{name}" for name in names)
        tagged = sql.rows(
            "SELECT entity_id, is_current FROM tag WHERE entity_type = 'Execution' "
            f"AND key IN ({marks})",
            names,
        )
        kept.update(id_ for id_, current in tagged if current and id_ in times)
    active_since = policy.now - policy.active_window
    cutoff = policy.now - policy.older_than if policy.older_than is not None else None
    for id_, (start, updated) in times.items():
        latest = max([t for t in (start, updated) if t is not None], default=None)
        if latest is not None and (
            latest >= active_since or (cutoff is not None and latest >= cutoff)
        ):
            kept.add(id_)
    return sorted(kept)


def _closure(sql: GcSql, kept: str, steps: Sequence[str]) -> None:
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


def _context_values(sql: GcSql) -> list[str]:
    """Value hashes of the contexts kept call nodes ran with (``redun.context`` tags)."""
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


def _mark_values(sql: GcSql) -> None:
    kept_calls = "SELECT k FROM gc_call"
    sql.insert(
        "gc_eval",
        "SELECT ev.eval_hash FROM evaluation ev JOIN call_node n "
        "ON n.task_hash = ev.task_hash AND LOWER(n.args_hash) = ev.args_hash "
        f"WHERE n.call_hash IN ({kept_calls})",
    )
    # A running job's cache entry goes out before its call node: keep the entries of
    # every task with a job still running outside a doomed execution.
    sql.insert(
        "gc_eval",
        "SELECT ev.eval_hash FROM evaluation ev WHERE ev.task_hash IN ("
        "SELECT j.task_hash FROM job j WHERE j.end_time IS NULL "
        "AND j.id NOT IN (SELECT k FROM gc_doomed_job))",
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


def mark(sql: GcSql, policy: GcPolicy, keep_visible: bool) -> int:
    """Fill the kept and doomed temporary tables; returns how many executions are kept.

    ``keep_visible``: every call node not hidden counts as kept (the sweep's rule: a run
    may have found it and be about to record a reference to it), so only hidden call
    nodes are doomed.
    """
    sql.clear_temp_tables()
    sql.insert_keys("gc_exec", kept_executions(sql, policy))
    # A subrun's jobs hang under a job of another execution: keep that one too.
    while sql.insert(
        "gc_exec",
        "SELECT DISTINCT p.execution_id FROM job j JOIN job p ON p.id = j.parent_id "
        "WHERE j.execution_id IN (SELECT k FROM gc_exec) "
        "AND p.execution_id NOT IN (SELECT k FROM gc_exec)",
    ):
        pass
    sql.insert("gc_doomed_exec", "SELECT id FROM execution WHERE id NOT IN (SELECT k FROM gc_exec)")
    # Jobs of no recorded execution (one whose execution row is not written yet) stay.
    sql.insert(
        "gc_doomed_job",
        "SELECT id FROM job WHERE execution_id IN (SELECT k FROM gc_doomed_exec)",
    )
    sql.insert(
        "gc_call",
        "SELECT DISTINCT call_hash FROM job WHERE call_hash IS NOT NULL "
        "AND id NOT IN (SELECT k FROM gc_doomed_job)",
    )
    if keep_visible:
        sql.insert("gc_call", f"SELECT call_hash FROM call_node WHERE {VISIBLE}")
    _closure(sql, "gc_call", _CALL_STEPS)
    _mark_values(sql)
    doomed = {
        "gc_doomed_call": ("call_hash", "call_node", "call_hash NOT IN (SELECT k FROM gc_call)"),
        "gc_doomed_eval": ("eval_hash", "evaluation", "eval_hash NOT IN (SELECT k FROM gc_eval)"),
        "gc_doomed_value": ("value_hash", "value", "value_hash NOT IN (SELECT k FROM gc_value)"),
    }
    for table, (column, source, where) in doomed.items():
        sql.insert(table, f"SELECT {column} FROM {source} WHERE {where}")
    return sql.count("SELECT COUNT(*) FROM gc_exec")


def hide_doomed_calls(sql: GcSql) -> int:
    """Hide the doomed call nodes from every cache lookup (and show again any kept one a
    collection that stopped half-way left hidden); returns how many are hidden now."""
    sql.run(f"UPDATE call_node SET args_hash = LOWER(args_hash) WHERE NOT ({VISIBLE})")
    return sql.run(
        "UPDATE call_node SET args_hash = UPPER(args_hash) "
        "WHERE call_hash IN (SELECT k FROM gc_doomed_call)"
    ).rowcount


def show_kept_calls(sql: GcSql) -> None:
    """Un-hide the hidden call nodes that are kept after all (a run recorded a reference
    to one while the collection waited)."""
    sql.run(
        f"UPDATE call_node SET args_hash = LOWER(args_hash) WHERE NOT ({VISIBLE}) "
        "AND call_hash IN (SELECT k FROM gc_call)"
    )


def describe_policy(policy: GcPolicy) -> dict[str, Any]:
    """The policy as JSON-friendly fields (``redun gc --format json``)."""
    return {
        "keep_last": policy.keep_last,
        "keep_tagged": list(policy.keep_tagged),
        "older_than_seconds": policy.older_than.total_seconds() if policy.older_than else None,
        "active_window_seconds": policy.active_window.total_seconds(),
    }
