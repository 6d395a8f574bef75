from __future__ import annotations

import os
import shutil
import sqlite3
import uuid

import pytest
from click.testing import CliRunner
from redun.cli.main import cli, main

UPSTREAM_DB = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "backends", "data", "upstream-0.44.1-hello.db"
)


@pytest.fixture
def repo(tmp_path):
    config_dir = tmp_path / ".redun"
    config_dir.mkdir()
    (config_dir / "redun.ini").write_text("[backend]\ndb_uri = sqlite:///redun.db\n")
    shutil.copy(UPSTREAM_DB, config_dir / "redun.db")
    return str(config_dir)


def run(config_dir: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["-c", config_dir, "db", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_db_info(repo):
    out = run(repo, "info")
    assert f"db uri: sqlite:///{repo}/redun.db" in out
    assert "db version: 3.5 'Add updated_time.'" in out
    assert "CLI requires db versions: >=3.5,<4" in out


def test_db_versions_lists_migrations(repo):
    out = run(repo, "versions")
    assert "3.4     3b0a6e67cc58 Add UTC timezone to timestamps." in out
    assert "3.5     0bee3d6dba76 Add updated_time." in out


def test_db_downgrade_then_upgrade(repo):
    out = run(repo, "downgrade", "3.4")
    assert "Initial db version: 3.5" in out and "Final db version: 3.4" in out
    assert "db version: 3.4" in run(repo, "info")
    out = run(repo, "upgrade")
    assert "Final db version: 3.5" in out
    assert "No migration needed." in run(repo, "upgrade", "latest")
    # The upstream rows are still there and `redun log` reads them.
    log = CliRunner().invoke(cli, ["-c", repo, "log"], catch_exceptions=False)
    assert "Exec 108ffb6a [ DONE ]" in log.output


def test_db_too_new_is_a_one_line_error(repo, capsys):
    path = os.path.join(repo, "redun.db")
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO redun_version VALUES (?, 4, '2999-01-01 00:00:00.000000')",
            (str(uuid.uuid4()),),
        )
        conn.execute("UPDATE alembic_version SET version_num = 'aaaaaaaaaaaa'")
    with pytest.raises(SystemExit) as info:
        main(["-c", repo, "log"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err == (
        f"redun: error: database at {path} is version 4.?, newer than this redun supports "
        "(<4); upgrade redun\n"
    )
    assert "CLI compatible with db: False" in run(repo, "info")
