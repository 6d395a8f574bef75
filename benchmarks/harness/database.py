"""Read job counts straight from the repository each run wrote (schema 3.5).

A repository is a SQLite file path or a PostgreSQL URL (``postgresql://host/db``);
PostgreSQL is read with psycopg 3 when the runner benchmarks that backend.
"""

from __future__ import annotations

import os
import sqlite3

EXECUTIONS = "SELECT id FROM execution"
JOB_COUNTS = "SELECT COUNT(*), COALESCE(SUM(CASE WHEN cached THEN 1 ELSE 0 END), 0) FROM job"


def _is_pg(repo: str) -> bool:
    return repo.startswith("postgresql")


def execution_ids(repo: str) -> set[str]:
    """Return the ids of every execution recorded so far (empty before the first run)."""
    if _is_pg(repo):
        import psycopg

        with psycopg.connect(repo) as conn:
            try:
                return {row[0] for row in conn.execute(EXECUTIONS)}
            except psycopg.errors.UndefinedTable:
                return set()
    if not os.path.exists(repo):
        return set()
    with sqlite3.connect(repo) as conn:
        try:
            return {row[0] for row in conn.execute(EXECUTIONS)}
        except sqlite3.OperationalError:
            return set()


def job_counts(repo: str, execution_id: str) -> tuple[int, int]:
    """Return (jobs, cached jobs) recorded for one execution."""
    if _is_pg(repo):
        import psycopg

        with psycopg.connect(repo) as conn:
            jobs, cached = conn.execute(
                JOB_COUNTS + " WHERE execution_id = %s", (execution_id,)
            ).fetchone()
        return int(jobs), int(cached)
    with sqlite3.connect(repo) as conn:
        jobs, cached = conn.execute(
            JOB_COUNTS + " WHERE execution_id = ?", (execution_id,)
        ).fetchone()
    return int(jobs), int(cached)
