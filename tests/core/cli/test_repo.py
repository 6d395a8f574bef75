from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from redun.cli.main import cli, main


def make_repo(path) -> str:
    os.makedirs(path)
    with open(os.path.join(path, "redun.ini"), "w") as handle:
        handle.write("# my settings\n[backend]\ndb_uri = sqlite:///redun.db\n")
    return str(path)


def run(config_dir: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["-c", config_dir, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def ini(config_dir: str) -> str:
    with open(os.path.join(config_dir, "redun.ini")) as handle:
        return handle.read()


def fails(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as info:
        main(list(argv))
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err


def test_add_list_remove(tmp_path):
    home, other = make_repo(tmp_path / "home"), make_repo(tmp_path / "other")
    assert run(home, "repo", "add", "other", other) == f"Added repository 'other': {other}\n"
    assert ini(home).endswith(f"\n[repos.other]\nconfig_dir = {other}\n")
    assert run(home, "repo", "list").splitlines() == [
        "Repositories:",
        f"  default: {home}",
        f"  other: {other}",
    ]
    run(home, "repo", "remove", "other")
    # The section is gone; the rest of the file, comments included, is as it was.
    assert ini(home) == "# my settings\n[backend]\ndb_uri = sqlite:///redun.db\n"
    assert "other" not in run(home, "repo", "list")


def test_relative_dir_is_stored_absolute(tmp_path, monkeypatch):
    home, _ = make_repo(tmp_path / "home"), make_repo(tmp_path / "other")
    monkeypatch.chdir(tmp_path)
    run(home, "repo", "add", "other", "other")
    assert f"config_dir = {tmp_path / 'other'}\n" in ini(home)


def test_repo_errors(tmp_path, capsys):
    home, other = make_repo(tmp_path / "home"), make_repo(tmp_path / "other")
    run(home, "repo", "add", "other", other)
    assert "repository 'other' already exists" in fails(
        capsys, "-c", home, "repo", "add", "other", other
    )
    assert "name 'default' is reserved" in fails(
        capsys, "-c", home, "repo", "add", "default", other
    )
    missing = str(tmp_path / "missing")
    assert "no redun.ini in" in fails(capsys, "-c", home, "repo", "add", "x", missing)
    assert "unknown repository 'nope'" in fails(capsys, "-c", home, "repo", "remove", "nope")
    assert "[repos.x]" not in ini(home)


def test_client_errors_are_redun_client_errors(tmp_path, monkeypatch):
    """Scripts driving RedunClient catch a bad command as RedunClientError (and still as
    our own error class); a repository without redun.ini is a FileNotFoundError."""
    from redun.cli import RedunClient, RedunClientError
    from redun.errors import ConfigError, UsageError

    home = make_repo(tmp_path / "home")
    os.makedirs(tmp_path / "empty")
    monkeypatch.chdir(tmp_path)
    client = RedunClient()
    with pytest.raises(FileNotFoundError) as missing:
        client.execute(["redun", "-c", home, "repo", "add", "x", str(tmp_path / "empty")])
    assert isinstance(missing.value, ConfigError)
    assert isinstance(missing.value, RedunClientError)
    with pytest.raises(RedunClientError) as unknown:
        client.execute(["redun", "-c", home, "--repo", "nope", "log"])
    assert isinstance(unknown.value, UsageError)
    assert "unknown repository 'nope'" in str(unknown.value)


def test_add_a_directory_another_repository_uses(tmp_path):
    home, other = make_repo(tmp_path / "home"), make_repo(tmp_path / "other")
    run(home, "repo", "add", "first", other)
    notice = run(home, "repo", "add", "second", other)
    assert notice == f"Existing repository 'first' also uses config at {other}\n"
    assert "[repos.second]" in ini(home)
