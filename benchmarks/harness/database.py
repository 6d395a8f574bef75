"""Read job counts straight from the SQLite file each run wrote (schema 3.5)."""

from __future__ import annotations

import os
import sqlite3


def execution_ids(db_path: str) -> set[str]:
    """Return the ids of every execution recorded so far (empty before the first run)."""
    if not os.path.exists(db_path):
        return set()
    with sqlite3.connect(db_path) as conn:
        try:
            return {row[0] for row in conn.execute("SELECT id FROM execution")}
        except sqlite3.OperationalError:
            return set()


def job_counts(db_path: str, execution_id: str) -> tuple[int, int]:
    """Return (jobs, cached jobs) recorded for one execution."""
    with sqlite3.connect(db_path) as conn:
        jobs, cached = conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(cached), 0) FROM job WHERE execution_id = ?",
            (execution_id,),
        ).fetchone()
    return int(jobs), int(cached)
