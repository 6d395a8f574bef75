"""The tags an execution is recorded with: defaults, redun.ini's [tags], the caller's."""

from __future__ import annotations

import json
import sqlite3

from redun import task
from redun._version import __version__
from redun.scheduler.execution_tags import default_execution_tags

redun_namespace = "tagged"


@task(namespace="tagged")
def hello() -> str:
    return "hi"


def execution_tags(db_path) -> list[tuple[str, object]]:
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT key, value FROM tag WHERE entity_type = 'Execution'")
        return sorted((key, json.loads(value)) for key, value in rows)


def test_scheduler_run_records_config_tags_then_the_callers_only(
    make_scheduler, db_path, monkeypatch
) -> None:
    """As upstream's Scheduler.run: no version, user or project tags added on its own
    (a workflow calling scheduler.run sees only the tags it gave)."""
    monkeypatch.setenv("REDUN_USER", "login")
    monkeypatch.setenv("REDUN_GIT_COMMIT", "abc123")
    scheduler = make_scheduler(tags={"env": "prod"})

    scheduler.run(hello(), tags=[("step", "one")])

    assert execution_tags(db_path) == [("env", "prod"), ("step", "one")]


def test_redun_run_gives_the_default_tags(monkeypatch) -> None:
    """`redun run` passes version, git, user and project as the caller's tags."""
    monkeypatch.setenv("REDUN_USER", "login")
    monkeypatch.setenv("REDUN_GIT_COMMIT", "abc123")

    tags = default_execution_tags(project="tagged")

    assert ("redun.version", __version__) in tags
    assert ("git_commit", "abc123") in tags
    assert ("user", "login") in tags
    assert ("project", "tagged") in tags


@task(namespace="tagged", tags=[("env", "dev")])
def tagged_task() -> int:
    return 1


def test_a_call_time_tags_option_tags_the_job_not_the_task(make_scheduler, db_path) -> None:
    scheduler = make_scheduler()

    scheduler.run(tagged_task.options(tags=[("user", "ann")])())

    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT entity_type, key, value FROM tag ORDER BY entity_type")
        assert [(kind, key, json.loads(value)) for kind, key, value in rows] == [
            ("Job", "user", "ann"),
            ("Task", "env", "dev"),
        ]
