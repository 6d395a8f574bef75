from __future__ import annotations

import json
import os
import shutil
import sys
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from redun.backends.db import RedunBackendDb
from redun.cli.main import cli, main

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "backends"))
from db_rows import execution_rows, h  # noqa: E402

UPSTREAM_DB = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "backends", "data", "upstream-0.44.1-hello.db"
)


def make_repo(path) -> str:
    config_dir = path / ".redun"
    config_dir.mkdir()
    (config_dir / "redun.ini").write_text("[backend]\ndb_uri = sqlite:///redun.db\n")
    return str(config_dir)


@pytest.fixture
def repo(tmp_path):
    """A repo with two executions: the older tagged env=prod, the newer env=dev."""
    config_dir = make_repo(tmp_path)
    backend = RedunBackendDb("sqlite:///redun.db", config_dir=config_dir)
    backend.load()
    old = datetime.now(UTC) - timedelta(hours=1)
    backend.write(execution_rows("a" * 36, tag="prod", start=old))
    backend.write(execution_rows("b" * 36, tag="dev"))
    backend.close()
    return config_dir


def run(config_dir: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["-c", config_dir, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_log_lists_executions_newest_first(repo):
    lines = run(repo, "log").splitlines()
    assert lines[0] == "Recent executions:"
    execs = [line for line in lines if line.startswith("Exec ")]
    assert execs[0].startswith("Exec bbbbbbbb [ DONE ] ")
    assert execs[0].endswith(":  run wf.py add (env=dev)")
    assert execs[1].startswith("Exec aaaaaaaa [ DONE ] ")


def test_log_dash_and_tilde_show_executions(repo):
    latest = run(repo, "log", "-")
    assert latest.startswith("Exec " + "b" * 36 + " [ DONE ]")
    assert "Jobs: 1 (DONE: 1, CACHED: 0, FAILED: 0)" in latest
    assert "| ns.add       0       0       0       0       1       1" in latest
    assert "Job jbbbbbbb [ DONE ] " in latest and "ns.add(1)" in latest
    assert run(repo, "log", "~2").startswith("Exec " + "a" * 36)


def test_log_job_call_node_task_and_value(repo):
    job = run(repo, "log", "jbbbb")
    assert job.startswith("Job j" + "b" * 35 + " [ DONE ]")
    assert "Traceback: Exec bbbbbbbb > Job jbbbbbbb add" in job
    assert "Result: 2" in job
    node = run(repo, "log", "cccc")
    assert node.startswith(f"CallNode {h('c')} ns.add")
    assert "Args:   1" in node
    task = run(repo, "log", "tttt")
    assert task.startswith(f"Task {h('t')} ns.add")
    assert "return x + 1" in task
    assert run(repo, "log", "2222").splitlines() == [f"Value {h('2')} builtins.int ", "2"]
    # A value that cannot be unpickled shows its type and hash.
    assert run(repo, "log", "ffff").splitlines()[1] == "<redun.File ffffffff>"


def test_log_json_and_filters(repo):
    records = [
        json.loads(line) for line in run(repo, "log", "--exec", "--format", "json").splitlines()
    ]
    assert [r["id"][0] for r in records] == ["b", "a"]
    assert records[0]["tags"] == {"env": "dev"} and records[0]["status"] == "DONE"
    assert run(repo, "log", "--exec-status", "FAILED").strip() == "Recent executions:"
    assert len(run(repo, "log", "--job", "--job-status", "done").splitlines()) == 2
    assert run(repo, "log", "--task", "--count").split() == ["1", "Task"]


def test_log_errors_are_one_line(repo, capsys):
    for arg, message in (
        ("zzzz", "redun: error: no execution, job, call node, task or value has id 'zzzz'"),
        ("~3", "redun: error: execution '~3' does not exist"),
    ):
        with pytest.raises(SystemExit) as info:
            main(["-c", repo, "log", arg])
        assert info.value.code == 2
        err = capsys.readouterr().err
        assert err.startswith(message) and err.count("\n") == 1


def test_log_ambiguous_prefix(tmp_path, capsys):
    config_dir = make_repo(tmp_path)
    shutil.copy(UPSTREAM_DB, os.path.join(config_dir, "redun.db"))
    with pytest.raises(SystemExit):
        main(["-c", config_dir, "log", "1"])
    err = capsys.readouterr().err
    assert err.startswith("redun: error: id prefix '1' is ambiguous (matches ")
    assert "Execution" in err and "Job" in err


def test_log_reads_an_upstream_database(tmp_path):
    config_dir = make_repo(tmp_path)
    shutil.copy(UPSTREAM_DB, os.path.join(config_dir, "redun.db"))
    out = run(config_dir, "log")
    assert "Exec 108ffb6a [ DONE ] " in out
    assert ":  run hello.py main (project=hello, redun.version=0.44.1, user=root)" in out
    tree = run(config_dir, "log", "108ffb6a")
    assert "Jobs: 3 (DONE: 3, CACHED: 0, FAILED: 0)" in tree
    assert "  Job 1236ee8f [ DONE ] " in tree and "hello.greeter('Hello', 'World')" in tree
