"""`redun why`, the dry-run plan and cache savings on PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from postgres.pg_cli import make_repo, redun

pytestmark = pytest.mark.slow

WORKFLOW = (Path(__file__).parents[1] / "core" / "cli" / "workflows" / "why_wf.py").read_text()


@pytest.fixture
def repo(tmp_path: Path, pg_uri: str) -> Path:
    path = make_repo(tmp_path, pg_uri)
    (path / "wf.py").write_text(WORKFLOW)
    (path / "data.txt").write_text("a\nb\n")
    return path


def ok(repo: Path, *args: str):
    result = redun(repo, *args)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def why_records(repo: Path) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for line in ok(repo, "why", "--format", "json", "-").stdout.splitlines():
        record = json.loads(line)
        found.setdefault(record["task_name"], []).append(record)
    return found


def test_why_explains_each_kind_of_change(repo: Path) -> None:
    ok(repo, "run", "wf.py", "main")
    assert {r["kind"] for rs in why_records(repo).values() for r in rs} == {"never_run"}

    ok(repo, "run", "wf.py", "main", "--n", "3")
    (scale,) = why_records(repo)["whydemo.scale"]
    assert scale["detail"] == {"argument": "x", "old": "2", "new": "3"}

    source = (repo / "wf.py").read_text()
    (repo / "wf.py").write_text(source.replace("return x * factor", "return factor * x"))
    ok(repo, "run", "wf.py", "main", "--n", "3")
    (code,) = why_records(repo)["whydemo.scale"]
    assert code["kind"] == "code" and "+    return factor * x" in code["lines"]

    (repo / "data.txt").write_text("a\nb\nc\n")
    ok(repo, "run", "wf.py", "main", "--n", "3")
    (changed,) = why_records(repo)["whydemo.count_lines"]
    assert changed["detail"]["files"][0]["path"] == "data.txt"

    ok(repo, "run", "--context", "scale.factor=7", "wf.py", "main", "--n", "3")
    kinds = {r["kind"] for r in why_records(repo)["whydemo.scale"]}
    assert kinds == {"argument", "context"}


def test_dry_run_plan_and_why_before_running(repo: Path) -> None:
    ok(repo, "run", "wf.py", "main")
    source = (repo / "wf.py").read_text()
    (repo / "wf.py").write_text(source.replace("return x * factor", "return factor * x"))
    plan = ok(repo, "run", "--dryrun", "wf.py", "main").stderr
    assert "[redun] Plan: 1 job would run, 3 jobs would be reused." in plan
    assert "[redun]   calls waiting on their results: whydemo.report (1)" in plan
    assert redun(repo, "run", "--dryrun", "--exit-code", "wf.py", "main").returncode == 1
    before = ok(repo, "why", "wf.py", "main", "--n", "4").stdout
    assert before.splitlines()[0] == "whydemo.main(n=4): argument 'n' changed: 2 -> 4"


def test_saved_compute_per_execution_and_per_task(repo: Path) -> None:
    ok(repo, "run", "wf.py", "main")
    rerun = ok(repo, "run", "wf.py", "main")
    assert "[redun] reused 5 jobs: " in rerun.stderr
    # A note on stderr after upstream's layout (stdout), as on SQLite.
    assert "Cache: reused 5 jobs: " in ok(repo, "log", "-").stderr
    saved = json.loads(ok(repo, "log", "--saved", "--since", "1d", "--format", "json").stdout)
    assert {t["task_name"]: t["reused_jobs"] for t in saved["tasks"]}["whydemo.scale"] == 1
