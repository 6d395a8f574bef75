"""Real repositories for the sync, tag and log tests: a small File workflow run by a
real Scheduler into a SQLite repo under a config dir."""

from __future__ import annotations

import os
import sqlite3

from redun import File, Scheduler, task

TABLES = (
    "execution",
    "job",
    "call_node",
    "call_edge",
    "call_subtree_task",
    "argument",
    "argument_result",
    "evaluation",
    "value",
    "subvalue",
    "file",
    "task",
    "tag",
    "tag_edit",
)


@task(namespace="synctest")
def make(path: str, n: int) -> File:
    out = File(path)
    out.write("x" * n)
    return out


@task(namespace="synctest")
def count(f: File) -> int:
    return len(f.read())


@task(namespace="synctest")
def main(path: str, n: int = 3) -> list:
    made = make(path, n)
    return [made, count(made)]


def make_repo(directory) -> str:
    """A config dir whose redun.ini points at ``redun.db`` beside it."""
    config_dir = os.path.join(str(directory), ".redun")
    os.makedirs(config_dir, exist_ok=True)
    with open(os.path.join(config_dir, "redun.ini"), "w") as handle:
        handle.write("[backend]\ndb_uri = sqlite:///redun.db\n")
    return config_dir


def run_workflow(
    config_dir: str, path: str, n: int, tags: tuple = (("project", "synctest"),)
) -> None:
    """Run ``main(path, n)`` into the repo, with execution tags as `redun run` gives."""
    db = os.path.join(config_dir, "redun.db")
    scheduler = Scheduler(config={"backend": {"db_uri": f"sqlite:///{db}"}})
    try:
        scheduler.run(main(path, n), tags=list(tags))
    finally:
        scheduler.backend.close()


def counts(config_dir: str) -> dict[str, int]:
    """Rows per table of the repo's database."""
    db = os.path.join(config_dir, "redun.db")
    if not os.path.exists(db):
        return dict.fromkeys(TABLES, 0)
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES}


def execution_ids(config_dir: str) -> list[str]:
    with sqlite3.connect(os.path.join(config_dir, "redun.db")) as conn:
        rows = conn.execute(
            "select execution.id from execution join job on job.id = execution.job_id "
            "order by job.start_time"
        )
        return [row[0] for row in rows]
