"""`redun why`: each reason a job ran instead of being reused, on real reruns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

WORKFLOW = (Path(__file__).parent / "workflows" / "why_wf.py").read_text()


@pytest.fixture
def workdir(script_workdir) -> Path:
    return script_workdir("whywf.py", WORKFLOW)


def run(redun, *args: str, before: tuple[str, ...] = ()) -> None:
    result = redun("run", *before, "whywf.py", "main", *args)
    assert result.code == 0, result.err


def why(redun, *args: str) -> list[dict]:
    result = redun("why", *args, "--format", "json")
    assert result.code == 0, result.err
    return [json.loads(line) for line in result.out.splitlines()]


def by_task(records: list[dict]) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for record in records:
        found.setdefault(record["task_name"], []).append(record)
    return found


def test_first_run_never_ran_before(workdir: Path, redun) -> None:
    run(redun)
    reasons = by_task(why(redun, "-"))
    assert {r["kind"] for rs in reasons.values() for r in rs} == {"never_run"}
    assert set(reasons) == {
        "whydemo.main",
        "whydemo.count_lines",
        "whydemo.scale",
        "whydemo.write_out",
        "whydemo.report",
    }
    text = redun("why", "-").out
    assert text.splitlines()[0].endswith(": 5 jobs ran, 0 reused")
    assert "whydemo.scale(2, factor=1): whydemo.scale never ran before" in text


def test_an_argument_change_names_the_argument_with_old_and_new_values(workdir, redun) -> None:
    run(redun)
    run(redun, "--n", "3")
    reasons = by_task(why(redun, "-"))
    assert set(reasons) == {"whydemo.main", "whydemo.scale", "whydemo.write_out", "whydemo.report"}
    (scale,) = reasons["whydemo.scale"]
    assert (scale["kind"], scale["detail"]["argument"]) == ("argument", "x")
    assert (scale["detail"]["old"], scale["detail"]["new"]) == ("2", "3")
    text = redun("why", "-").out
    assert "whydemo.main(n=3): argument 'n' changed: 2 -> 3" in text
    assert "argument 'text' changed: 'xx' -> 'xxx'" in text
    assert text.splitlines()[0].endswith(": 4 jobs ran, 1 reused")


def test_a_code_edit_shows_the_source_diff(workdir: Path, redun) -> None:
    run(redun)
    source = (workdir / "whywf.py").read_text()
    (workdir / "whywf.py").write_text(source.replace("return x * factor", "return factor * x"))
    run(redun)
    reasons = by_task(why(redun, "-"))
    (code,) = reasons["whydemo.scale"]
    assert code["kind"] == "code"
    assert "-    return x * factor" in code["lines"]
    assert "+    return factor * x" in code["lines"]
    text = redun("why", "-").out
    assert "code of whydemo.scale changed (task_hash" in text
    assert "    +    return factor * x" in text


def test_a_changed_input_file_names_the_file_and_its_hashes(workdir: Path, redun) -> None:
    run(redun)
    (workdir / "data.txt").write_text("a\nb\nc\n")
    run(redun)
    reasons = by_task(why(redun, "-"))
    assert set(reasons) == {"whydemo.main", "whydemo.count_lines", "whydemo.report"}
    (changed,) = reasons["whydemo.count_lines"]
    assert changed["detail"]["argument"] == "path"
    (entry,) = changed["detail"]["files"]
    assert entry["path"] == "data.txt" and entry["old_hash"] != entry["new_hash"]
    assert "argument 'path': file changed: data.txt (hash" in redun("why", "-").out


def test_a_context_change_shows_the_context_key(workdir: Path, redun) -> None:
    run(redun)
    run(redun, before=("--context", "scale.factor=5"))
    reasons = by_task(why(redun, "-"))
    kinds = {r["kind"]: r for r in reasons["whydemo.scale"]}
    assert kinds["argument"]["detail"] == {"argument": "factor", "old": "1", "new": "5"}
    assert kinds["context"]["detail"]["keys"] == {"scale.factor": {"old": None, "new": 5}}
    assert "context changed: scale.factor: None -> 5" in redun("why", "-").out


def test_a_vanished_output_file_is_the_reason_a_job_reran(workdir: Path, redun) -> None:
    run(redun)
    (workdir / "out.txt").unlink()
    run(redun)
    reasons = by_task(why(redun, "-"))
    (reran,) = reasons["whydemo.write_out"]
    assert reran["kind"] == "result_file"
    assert "out.txt" in reran["text"]


def test_why_one_job_and_a_reused_job(workdir: Path, redun) -> None:
    run(redun)
    run(redun, "--n", "3")
    records = why(redun, "-")
    job_id = next(r["job_id"] for r in records if r["task_name"] == "whydemo.scale")
    text = redun("why", job_id[:8]).out
    assert text.startswith(f"Job {job_id[:8]} whydemo.scale(3, factor=1): argument 'x' changed")

    log = redun("log", "-", "--format", "json")
    assert log.code == 0
    cached = [
        json.loads(line)
        for line in redun(
            "log", "--job", "--job-status", "CACHED", "--format", "json"
        ).out.splitlines()
    ]
    assert cached, "the second run reused count_lines"
    reused = redun("why", cached[0]["id"]).out
    assert "reused from the cache (first run by Job" in reused


def test_why_errors_are_one_line(workdir: Path, redun) -> None:
    run(redun)
    result = redun("why", "nosuchid")
    assert result.code == 2
    assert result.err.strip().startswith("redun: error: no execution, job")


FANOUT = """
from redun import File, task

redun_namespace = "whyfan"


@task()
def count(path: File) -> int:
    return len(path.read().splitlines())


@task()
def main() -> list:
    return [count(File(f"sample{i}.txt")) for i in range(5)]
"""


def test_a_changed_file_in_a_fan_out_is_compared_with_the_call_that_read_it(
    workdir: Path, redun
) -> None:
    """Every call of `count` has another file; the one to compare with is the call that
    read the same path, not the latest sibling."""
    (workdir / "fan.py").write_text(FANOUT)
    for i in range(5):
        (workdir / f"sample{i}.txt").write_text("x\n" * (i + 1))
    assert redun("run", "fan.py", "main").code == 0
    (workdir / "sample0.txt").write_text("changed\n")
    assert redun("run", "fan.py", "main").code == 0
    reasons = by_task(why(redun, "-"))
    (changed,) = reasons["whyfan.count"]
    (entry,) = changed["detail"]["files"]
    assert entry["path"] == "sample0.txt" and entry["old_hash"] != entry["new_hash"]
    assert "argument 'path': file changed: sample0.txt (hash" in redun("why", "-").out
