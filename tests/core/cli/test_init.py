"""``redun init``: writes the default redun.ini (and database) without clobbering."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from redun.cli.main import cli

DEFAULT_INI = """\
[backend]
db_uri = sqlite:///redun.db

[executors.default]
type = local
max_workers = 20
"""


def test_init_writes_the_default_config_in_the_named_dir(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("REDUN_CONFIG", raising=False)
    config_dir = tmp_path / "repo" / ".redun"

    result = CliRunner().invoke(cli, ["-c", str(config_dir), "init"])

    assert result.exit_code == 0, result.output
    assert result.output == f"Initialized redun repository: {config_dir}\n"
    assert (config_dir / "redun.ini").read_text() == DEFAULT_INI
    assert (config_dir / "redun.db").exists()


def test_init_defaults_to_dot_redun_in_the_working_directory(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("REDUN_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)

    result = CliRunner().invoke(cli, ["init"])

    assert result.exit_code == 0, result.output
    assert (tmp_path / ".redun" / "redun.ini").read_text() == DEFAULT_INI


def test_init_with_a_base_dir(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("REDUN_CONFIG", raising=False)

    result = CliRunner().invoke(cli, ["init", str(tmp_path / "project")])

    assert result.exit_code == 0, result.output
    assert (tmp_path / "project" / ".redun" / "redun.ini").exists()


def test_init_leaves_an_existing_config_alone(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("REDUN_CONFIG", raising=False)
    config_dir = tmp_path / ".redun"
    config_dir.mkdir()
    custom = "[backend]\ndb_uri = sqlite:///custom.db\n"
    (config_dir / "redun.ini").write_text(custom)

    result = CliRunner().invoke(cli, ["-c", str(config_dir), "init"])

    assert result.exit_code == 0, result.output
    assert (config_dir / "redun.ini").read_text() == custom
    assert (config_dir / "custom.db").exists()


def test_old_default_db_uri_finds_redun_db_beside_the_ini(
    tmp_path, monkeypatch: pytest.MonkeyPatch, redun
) -> None:
    # Repositories made by early upstream releases say `sqlite:///.redun/redun.db`.
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REDUN_CONFIG", raising=False)
    (tmp_path / ".redun").mkdir()
    (tmp_path / ".redun" / "redun.ini").write_text(
        "[backend]\ndb_uri = sqlite:///.redun/redun.db\n"
    )
    result = redun("log")
    assert result.code == 0, result.err
    assert (tmp_path / ".redun" / "redun.db").exists()
    assert not (tmp_path / ".redun" / ".redun").exists()
