"""`redun launch` with the local executors: the launched `redun run` records its own run."""

from __future__ import annotations

import json
import sqlite3
import sys

import pytest
from redun.cli.main import main

pytestmark = pytest.mark.slow

WORKFLOW = """\
from redun import task

@task(namespace="launch_demo")
def main(name: str = "world") -> str:
    return f"Hello, {name}!"

@task(namespace="launch_demo")
def broken() -> int:
    raise ValueError("broken on purpose")
"""
# The same interpreter as the test, whatever is first on PATH.
REDUN = [sys.executable, "-m", "redun.cli.main"]


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A directory with wf.py and a repo (.redun/redun.ini -> redun.db); cwd is set to it."""
    (tmp_path / "wf.py").write_text(WORKFLOW)
    config_dir = tmp_path / ".redun"
    config_dir.mkdir()
    (config_dir / "redun.ini").write_text(
        "[backend]\ndb_uri = sqlite:///redun.db\n\n"
        "[executors.nopack]\ntype = local\ncode_package = false\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REDUN_CONFIG", raising=False)
    return tmp_path


def executions(project) -> list[list[str]]:
    """The recorded argv of each execution in the repo, oldest first."""
    db = project / ".redun" / "redun.db"
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT e.args FROM execution e JOIN job j ON j.id = e.job_id ORDER BY j.start_time"
        ).fetchall()
    return [json.loads(args) for (args,) in rows]


def launch(*args: str) -> None:
    main(["launch", *args])


def test_wait_runs_the_workflow_and_prints_its_output(project, capsys):
    launch("--executor", "default", "--wait", *REDUN, "run", "wf.py", "main", "--name", "ann")
    # The script's stdout is the result, printed as upstream prints it (a bytes repr).
    assert capsys.readouterr().out == "b\"'Hello, ann!'\\n\"\n"
    argvs = executions(project)
    # The launch itself and the `redun run` it started are both in the repo.
    assert ["redun", "run", "wf.py", "main", "--name", "ann"] in argvs
    assert argvs[0][:5] == ["redun", "launch", "--executor", "default", "--wait"]


def test_without_wait_nothing_is_recorded_by_the_launch(project, capsys):
    launch("--executor", "process", *REDUN, "run", "wf.py", "main")
    assert capsys.readouterr().out == ""
    # Only the launched run's own execution exists.
    assert executions(project) == [["redun", "run", "wf.py", "main"]]


def test_a_failing_launched_command_fails_the_launch(project, capsys):
    with pytest.raises(SystemExit) as exc:
        launch("--executor", "default", *REDUN, "run", "wf.py", "broken")
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "redun: error: launched job " in err
    assert "broken on purpose" in err


def test_unknown_executor_and_disabled_code_packaging_are_errors(project, capsys):
    with pytest.raises(SystemExit):
        launch("--executor", "nowhere", "echo", "hi")
    assert "unknown executor 'nowhere'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        launch("--executor", "nopack", "--code-package", "echo", "hi")
    assert exc.value.code == 2
    assert "executor 'nopack' has code_package = false" in capsys.readouterr().err
    assert executions(project) == []


def test_job_options_reach_the_launched_job(project, capsys):
    launch("--executor", "default", "--wait", "-o", "mode=process", "echo", "from a process")
    assert capsys.readouterr().out == "b'from a process\\n'\n"
    # The local executor reads the job's mode option: a bad one fails the job.
    with pytest.raises(SystemExit):
        launch("--executor", "default", "-o", "mode=bogus", "echo", "hi")
    assert "unknown mode 'bogus'" in capsys.readouterr().err


def test_code_package_ships_the_code_to_the_job(project, tmp_path, capsys):
    scratch = tmp_path / "scratch"
    config = project / ".redun" / "redun.ini"
    config.write_text(
        config.read_text() + f"\n[executors.packed]\ntype = local\nscratch = {scratch}\n"
    )
    launch(
        "--executor", "packed", "--code-package", "--wait",
        *REDUN, "run", "wf.py", "main", "--name", "packed",
    )  # fmt: skip
    assert "'Hello, packed!'" in capsys.readouterr().out
    packages = list((scratch / "code").glob("*.tar.gz"))
    assert len(packages) == 1
