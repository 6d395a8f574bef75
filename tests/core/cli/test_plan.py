"""`redun run --dryrun` prints the plan; `redun why wf.py TASK` explains calls not yet run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

WORKFLOW = (Path(__file__).parent / "workflows" / "why_wf.py").read_text()


@pytest.fixture
def workdir(script_workdir) -> Path:
    return script_workdir("whywf.py", WORKFLOW)


def plan_of(err: str) -> list[str]:
    lines = [line.removeprefix("[redun] ") for line in err.splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("Plan: "))
    return lines[start:]


def test_a_code_edit_plans_the_edited_task_and_what_waits_on_it(workdir: Path, redun) -> None:
    assert redun("run", "whywf.py", "main").code == 0
    source = (workdir / "whywf.py").read_text()
    (workdir / "whywf.py").write_text(source.replace("return x * factor", "return factor * x"))

    result = redun("run", "--dryrun", "whywf.py", "main")
    assert result.code == 0, result.err
    plan = plan_of(result.err)
    assert plan[0] == "Plan: 1 job would run, 3 jobs would be reused."
    assert plan[1:3] == ["Would run:", "  whydemo.scale  1 job"]
    assert plan[3].startswith("      1 x code of whydemo.scale changed (task_hash")
    assert "  whydemo.count_lines  1 job" in plan
    assert "  whydemo.main         1 job" in plan
    assert "  calls waiting on their results: whydemo.report (1)" in plan
    # Nothing ran: the real run still has scale to do.
    assert "Run    Job" not in result.err


def test_exit_code_makes_a_plan_with_work_fail(workdir: Path, redun) -> None:
    result = redun("run", "--dryrun", "--exit-code", "whywf.py", "main")
    assert result.code == 1
    assert (
        result.err.strip().splitlines()[-1]
        == "redun: error: dry run: 1 job would run (--exit-code)"
    )
    assert "Plan: 1 job would run, 0 jobs would be reused." in result.err
    assert plan_of(result.err)[3] == "      1 x whydemo.main never ran before"


def test_a_fully_cached_dry_run_prints_the_result_and_exits_0(workdir: Path, redun) -> None:
    assert redun("run", "whywf.py", "main").code == 0
    result = redun("run", "--dryrun", "--exit-code", "whywf.py", "main")
    assert result.code == 0, result.err
    assert result.out == "'2 lines, scaled 2, wrote out.txt'\n"
    assert plan_of(result.err)[0] == "Plan: 0 jobs would run, 5 jobs would be reused."


def test_a_changed_input_file_is_planned_with_its_reason(workdir: Path, redun) -> None:
    assert redun("run", "whywf.py", "main").code == 0
    (workdir / "data.txt").write_text("a\nb\nc\n")
    plan = plan_of(redun("run", "--dryrun", "whywf.py", "main").err)
    # main built File("data.txt") into its lazy result, so main itself must run again.
    assert plan[2] == "  whydemo.main  1 job"
    assert plan[3].startswith("      1 x file data.txt of the recorded result changed (hash ")


def test_why_before_running_explains_each_call_that_would_run(workdir: Path, redun) -> None:
    assert redun("run", "whywf.py", "main").code == 0
    result = redun("why", "whywf.py", "main", "--n", "3")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "whydemo.main(n=3): argument 'n' changed: 2 -> 3"
    assert lines[1] == "1 job would run, 0 jobs would be reused"

    data = redun("why", "--format", "json", "whywf.py", "main", "--n", "3")
    records = [json.loads(line) for line in data.out.splitlines()]
    assert records[0]["detail"] == {"argument": "n", "old": "2", "new": "3"}
    assert records[-1] == {
        "complete": False,
        "kind": "summary",
        "reused": 0,
        "waiting": {},
        "would_run": 1,
    }
    # Nothing ran, and asking recorded no execution.
    assert "Run " not in result.err
    listed = redun("log", "--exec", "--format", "json").out.splitlines()
    assert len(listed) == 1


def test_why_a_context_change_before_running(workdir: Path, redun) -> None:
    assert redun("run", "whywf.py", "main").code == 0
    result = redun("run", "--dryrun", "--context", "scale.factor=4", "whywf.py", "main")
    plan = plan_of(result.err)
    assert "  whydemo.scale  1 job" in plan
    assert any("context changed: scale.factor" in line for line in plan)
