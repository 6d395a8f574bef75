from __future__ import annotations

import subprocess
import sys

import pytest
from redun.cli.main import main


def make_config(tmp_path, repo_uri: str) -> str:
    config_dir = tmp_path / ".redun"
    config_dir.mkdir()
    (config_dir / "redun.ini").write_text(f"[backend]\ndb_uri = {repo_uri}\n")
    return str(config_dir)


def fails(capsys, config_dir: str, *args: str) -> str:
    """Run `redun console ARGS`, expect exit 2, return the one-line error."""
    with pytest.raises(SystemExit) as exc:
        main(["-c", config_dir, "console", *args])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    return err


def test_without_textual_the_command_says_what_to_install(tmp_path, repo_uri, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "textual", None)
    err = fails(capsys, make_config(tmp_path, repo_uri))
    assert err == "redun: error: `redun console` needs textual: pip install 'redun-core[console]'\n"


def test_unknown_ids_and_options_fail_before_the_ui_starts(tmp_path, repo_uri, capsys):
    pytest.importorskip("textual", reason="the console extra (textual) is not installed")
    config_dir = make_config(tmp_path, repo_uri)
    err = fails(capsys, config_dir, "zzzz")
    assert "no execution, job, call node, task or value has id 'zzzz'" in err
    err = fails(capsys, config_dir, "jobs/x", "--status", "DONE")
    assert "has no option --status" in err


def test_help_and_import_redun_do_not_import_textual():
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from redun.cli.main import cli\n"
        "out = CliRunner().invoke(cli, ['--help']).output\n"
        "assert 'console' in out, out\n"
        "print('textual' in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip() == "False", proc.stderr
