from __future__ import annotations

import os
import re
import sqlite3

import pytest
from click.testing import CliRunner
from core.backends.sync_repos import TABLES, counts, execution_ids, make_repo, run_workflow  # noqa: E402
from redun.cli.main import cli, main


def run(config_dir: str, *args: str, input: str | None = None) -> str:
    result = CliRunner().invoke(cli, ["-c", config_dir, *args], input=input, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def fails(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as info:
        main(list(argv))
    err = capsys.readouterr().err
    assert info.value.code != 0 and err.count("\n") == 1, err
    return err


@pytest.fixture
def repos(tmp_path):
    """A source repo with two executions and an empty repo registered as 'other'."""
    source = make_repo(tmp_path / "src")
    run_workflow(source, str(tmp_path / "out.txt"), 3)
    run_workflow(source, str(tmp_path / "out.txt"), 4)
    other = make_repo(tmp_path / "other")
    run(source, "repo", "add", "other", other)
    return source, other


def test_push_then_up_to_date_and_log_through_repo(repos):
    source, other = repos
    assert re.fullmatch(
        r"Pushed [1-9]\d* record\(s\) to repo 'other'\n", run(source, "push", "other")
    )
    assert run(source, "push", "other") == "Repo 'other' is up to date.\n"
    assert counts(other) == counts(source)
    mine = [line for line in run(source, "log").splitlines() if line.startswith("Exec ")]
    theirs = [
        line
        for line in run(source, "--repo", "other", "log").splitlines()
        if line.startswith("Exec ")
    ]
    assert mine == theirs and len(mine) == 2


def test_push_subset_then_pull_back(repos, tmp_path):
    source, other = repos
    older, newer = execution_ids(source)
    out = run(source, "push", "other", older[:8])
    assert re.fullmatch(r"Pushed [1-9]\d* record\(s\) to repo 'other'\n", out)
    assert execution_ids(other) == [older]
    # A fresh repo pulls from 'other' what it has.
    third = make_repo(tmp_path / "third")
    run(third, "repo", "add", "other", other)
    assert run(third, "pull", "other").startswith("Pulled ")
    assert run(third, "pull", "other", older[:8]) == "Pulled 0 new record(s) from repo 'other'\n"
    assert execution_ids(third) == [older]


def test_export_import_round_trip(repos, tmp_path):
    source, _ = repos
    path = str(tmp_path / "x.jsonl")
    run(source, "export", "-f", path)
    fresh = make_repo(tmp_path / "fresh")
    assert run(fresh, "import", "-f", path).startswith("Imported ")
    assert counts(fresh) == counts(source)
    with open(path) as handle:
        again = run(fresh, "import", input=handle.read())
    assert again == "Imported 0 new records: the repository already has them all.\n"
    assert counts(fresh) == counts(source)


def test_export_of_one_execution_to_stdout(repos):
    source, _ = repos
    older, _ = execution_ids(source)
    lines = run(source, "export", older).splitlines()
    assert sum('"_type": "Execution"' in line for line in lines) == 1


def test_sync_errors_are_one_line(repos, tmp_path, capsys):
    source, other = repos
    assert "unknown repository 'nope' (known: default, other)" in fails(
        capsys, "-c", source, "push", "nope"
    )
    assert "no execution, job, call node, task or value has id 'zzzz'" in fails(
        capsys, "-c", source, "push", "other", "zzzz"
    )
    with open(os.path.join(other, "redun.ini"), "w") as handle:
        handle.write("[backend]\ndb_uri = sqlite:///missing/dir/redun.db\n")
    assert "does not exist" in fails(capsys, "-c", source, "push", "other")
    assert "no redun.ini" in fails(capsys, "-c", str(tmp_path / "src"), "import", "-f", "x")
    assert "cannot open" in fails(capsys, "-c", source, "import", "-f", str(tmp_path / "none"))


def test_push_to_newer_database_is_refused_unchanged(repos, capsys):
    source, other = repos
    run(source, "push", "other", execution_ids(source)[0])
    db = os.path.join(other, "redun.db")
    with sqlite3.connect(db) as conn:
        conn.execute(
            "insert into redun_version (id, version, timestamp) values ('x', 99, '2030-01-01')"
        )
    before = counts(other)
    err = fails(capsys, "-c", source, "push", "other")
    assert "newer than this redun supports" in err
    assert counts(other) == before
    assert set(before) == set(TABLES)
