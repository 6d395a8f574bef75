from __future__ import annotations

import os
import sqlite3

import pytest
from click.testing import CliRunner
from core.backends.sync_repos import execution_ids, make_repo, run_workflow  # noqa: E402
from redun.cli.main import cli, main
from redun.errors import UsageError
from redun.tags import parse_tag_key_value, parse_tag_value


@pytest.fixture
def repo(tmp_path):
    config_dir = make_repo(tmp_path)
    run_workflow(config_dir, str(tmp_path / "out.txt"), 3)
    return config_dir


def run(config_dir: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["-c", config_dir, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def tags(config_dir: str, key: str) -> list[tuple]:
    with sqlite3.connect(os.path.join(config_dir, "redun.db")) as conn:
        return sorted(
            conn.execute("select tag_hash, value, is_current from tag where key = ?", (key,))
        )


def edits(config_dir: str) -> list[tuple]:
    with sqlite3.connect(os.path.join(config_dir, "redun.db")) as conn:
        return list(conn.execute("select parent_id, child_id from tag_edit"))


def test_add_update_rm(repo):
    exec_id = execution_ids(repo)[0]
    out = run(repo, "tag", "add", "-", "env=prod", "n=3", 'extra={"a": [1]}')
    assert out == f'add tag Execution:{exec_id} env="prod" n=3 extra={{"a": [1]}}\n'
    assert [(v, c) for _, v, c in tags(repo, "n")] == [("3", 1)]
    run(repo, "tag", "update", exec_id[:8], "env=dev")
    env = {value: (tag_hash, current) for tag_hash, value, current in tags(repo, "env")}
    assert env['"dev"'][1] == 1 and env['"prod"'][1] == 0
    assert (env['"prod"'][0], env['"dev"'][0]) in edits(repo)
    assert "(env=dev, extra=" in run(repo, "log")
    run(repo, "tag", "rm", "-", "n")
    assert [c for _, _, c in tags(repo, "n")] == [0]
    assert "n=3" not in run(repo, "log")


def test_tags_on_jobs_tasks_and_values(repo):
    job = run(repo, "log", "--job").splitlines()[0].split()[1]
    run(repo, "tag", "add", job, "team=x")
    task = run(repo, "log", "--task").splitlines()[0].split()[1]
    run(repo, "tag", "add", task, "team=x")
    listing = run(repo, "tag", "list")
    assert "  team       (1 Job, 1 Task)" in listing.splitlines()
    assert "  team=x                         (1 Job, 1 Task)" in run(
        repo, "tag", "list", "--values"
    )
    found = run(repo, "tag", "list", "team=x")
    assert f"Job {job}" in found and f"Task {task}" in found


def test_tagged_records_are_listed_with_their_tags(repo):
    task_line = run(repo, "log", "--task").splitlines()[0]
    task, name = task_line.split()[1:3]
    run(repo, "tag", "add", task, "team=x")
    listed = run(repo, "tag", "list", "team").splitlines()
    assert f"Task {task} {name} (team=x)" in listed
    assert run(repo, "log", "--task").splitlines()[0] == f"Task {task} {name} (team=x)"


def test_readding_a_removed_tag_makes_it_current_again(repo):
    run(repo, "tag", "add", "-", "k=1")
    run(repo, "tag", "rm", "-", "k=1")
    run(repo, "tag", "add", "-", "k=1")
    assert sorted(c for _, _, c in tags(repo, "k")) == [0, 1]
    assert "k=1" in run(repo, "log")


@pytest.mark.parametrize(
    "args, message",
    [
        (["add", "-", "=3"], "malformed tag '=3': the key before '=' is empty"),
        (["add", "-"], "`redun tag add` needs at least one KEY=VALUE"),
        (["update", "-", "env"], "malformed tag 'env': expected KEY=VALUE"),
        (["add", "-", "a", "b"], "malformed tag 'b': expected KEY=VALUE"),
        (["add", "-", "x=[1,"], "malformed JSON tag value '[1,'"),
        (["add", "zzzz", "a=1"], "no execution, job, call node, task or value has id 'zzzz'"),
        (["rm", "-", "nope"], "no current tag matches 'nope'"),
    ],
)
def test_tag_errors_are_one_line(repo, capsys, args, message):
    with pytest.raises(SystemExit) as info:
        main(["-c", repo, "tag", *args])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"redun: error: {message}") and err.count("\n") == 1, err


def test_parse_tag_values():
    assert [parse_tag_value(t) for t in ("3", "1.5", "true", "null", "prod", "", '"3"')] == [
        3,
        1.5,
        True,
        None,
        "prod",
        None,
        "3",
    ]
    assert parse_tag_key_value("a=b=c") == ("a", "b=c")
    with pytest.raises(UsageError):
        parse_tag_key_value("nokey")
