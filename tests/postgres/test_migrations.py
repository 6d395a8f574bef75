"""Schema versions on Postgres: automigrate, `redun db upgrade`, newer databases refused."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
from postgres.pg_cli import make_repo, redun
from postgres.pg_server import run_sql
from redun.backends.db.versions import parse_db_version
from redun.errors import DatabaseVersionError
from redun_postgres import RedunBackendPostgres

pytestmark = pytest.mark.slow


@pytest.fixture
def old_db_uri(fresh_pg_uri: str) -> str:
    """A redun database at schema 3.4 (before ``execution.updated_time``)."""
    backend = RedunBackendPostgres(fresh_pg_uri)
    backend.load()
    assert backend.migrate(parse_db_version("3.4"))
    backend.close()
    return fresh_pg_uri


def columns(uri: str, table: str) -> set[str]:
    rows = run_sql(
        uri, f"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}'"
    )
    return {name for (name,) in rows}


def test_an_old_schema_is_not_migrated_unless_asked(old_db_uri):
    assert "updated_time" not in columns(old_db_uri, "execution")
    backend = RedunBackendPostgres(old_db_uri)
    with pytest.raises(DatabaseVersionError, match=r"version 3\.4.*run `redun db upgrade`"):
        backend.load()
    backend.close()
    assert "updated_time" not in columns(old_db_uri, "execution")


def test_automigrate_true_upgrades_on_load(old_db_uri):
    backend = RedunBackendPostgres(old_db_uri, config={"automigrate": "true"})
    backend.load()
    assert str(backend.get_db_version()) == "3.5"
    backend.close()
    assert "updated_time" in columns(old_db_uri, "execution")


def test_redun_db_upgrade_migrates_and_db_info_masks_the_password(old_db_uri, tmp_path):
    repo = make_repo(tmp_path, old_db_uri)
    env = {**os.environ, "REDUN_DB_PASSWORD": "hunter2-secret"}
    before = redun(repo, "db", "info", env=env)
    assert before.returncode == 0, before.stderr
    assert "db version: 3.4" in before.stdout
    assert "hunter2-secret" not in before.stdout + before.stderr
    assert ":***@127.0.0.1" in before.stdout
    upgraded = redun(repo, "db", "upgrade", env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "Final db version: 3.5" in upgraded.stdout
    assert "updated_time" in columns(old_db_uri, "execution")


def test_a_newer_schema_is_refused_and_left_alone(fresh_pg_uri):
    first = RedunBackendPostgres(fresh_pg_uri)
    first.load()
    first.close()
    run_sql(
        fresh_pg_uri,
        "INSERT INTO redun_version (id, version, timestamp) "
        f"VALUES ('v4', 4, '{(datetime.now(UTC) + timedelta(days=1)).isoformat()}')",
    )
    for automigrate in ("false", "true"):
        backend = RedunBackendPostgres(fresh_pg_uri, config={"automigrate": automigrate})
        with pytest.raises(DatabaseVersionError, match="newer than this redun.*upgrade redun"):
            backend.load()
        backend.close()
    assert run_sql(fresh_pg_uri, "SELECT count(*) FROM redun_version")[0][0] == 2
