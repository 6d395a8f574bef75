"""The tags an execution is recorded with: defaults, redun.ini's [tags], the caller's."""

from __future__ import annotations

import json
import sqlite3

from redun import task
from redun._version import __version__

redun_namespace = "tagged"


@task(namespace="tagged")
def hello() -> str:
    return "hi"


def execution_tags(db_path) -> list[tuple[str, object]]:
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT key, value FROM tag WHERE entity_type = 'Execution'")
        return sorted((key, json.loads(value)) for key, value in rows)


def test_defaults_config_tags_and_the_callers_tags_are_recorded(
    make_scheduler, db_path, monkeypatch
) -> None:
    monkeypatch.setenv("REDUN_USER", "login")
    monkeypatch.setenv("REDUN_GIT_COMMIT", "abc123")
    scheduler = make_scheduler(tags={"env": "prod"})

    scheduler.run(hello(), tags=[("step", "one")])

    assert execution_tags(db_path) == [
        ("env", "prod"),
        ("git_commit", "abc123"),
        ("project", "tagged"),
        ("redun.version", __version__),
        ("step", "one"),
        ("user", "login"),
    ]


def test_a_key_the_caller_gives_replaces_its_default(make_scheduler, db_path, monkeypatch) -> None:
    """`redun run --user ann` records one user, ann, not also the login name."""
    monkeypatch.setenv("REDUN_USER", "login")
    scheduler = make_scheduler()

    scheduler.run(hello(), tags=[("user", "ann"), ("project", "proj")])

    tags = execution_tags(db_path)
    assert [value for key, value in tags if key == "user"] == ["ann"]
    assert [value for key, value in tags if key == "project"] == ["proj"]
