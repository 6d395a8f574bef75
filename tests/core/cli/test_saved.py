"""What the cache saved: the end of `redun run`, `redun log EXEC`, `redun log --saved`."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

WORKFLOW = """
import time

from redun import task

redun_namespace = "saving"


@task()
def slow(x: int) -> int:
    time.sleep(0.3)
    return x * 2


@task()
def main(n: int = 2) -> list:
    return [slow(i) for i in range(n)]
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REDUN_CONFIG", raising=False)
    (tmp_path / "savewf.py").write_text(WORKFLOW)
    saved_path = list(sys.path)
    yield tmp_path
    sys.path[:] = saved_path
    for name, module in list(sys.modules.items()):
        if str(getattr(module, "__file__", None) or "").startswith(str(tmp_path)):
            del sys.modules[name]


def _saved_seconds(text: str) -> tuple[int, float]:
    match = re.search(r"reused (\d+) jobs?: ([\d.]+) s of compute saved", text)
    assert match, text
    return int(match.group(1)), float(match.group(2))


def test_a_cached_rerun_reports_the_compute_it_reused(workdir: Path, redun) -> None:
    first = redun("run", "savewf.py", "main")
    assert first.code == 0, first.err
    assert "compute saved" not in first.err  # nothing was reused on the first run

    second = redun("run", "savewf.py", "main")
    assert second.code == 0, second.err
    reused, seconds = _saved_seconds(second.err)
    # main and both slow jobs came from the cache; the two slow jobs had taken 0.3 s each.
    assert reused == 3
    assert seconds >= 0.6

    shown = redun("log", "-")
    assert shown.code == 0, shown.err
    assert _saved_seconds(shown.err) == (reused, seconds)


def test_saved_sums_per_task_over_a_time_range(workdir: Path, redun) -> None:
    for n in ("2", "2", "3"):
        assert redun("run", "savewf.py", "main", "--n", n).code == 0
    # Runs 2 and 3 reused slow(0) and slow(1) each; run 3 ran slow(2) for real.
    result = redun("log", "--saved", "--since", "1d", "--format", "json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    tasks = {t["task_name"]: t for t in report["tasks"]}
    assert tasks["saving.slow"]["reused_jobs"] == 4
    assert tasks["saving.slow"]["seconds_saved"] >= 1.2
    assert tasks["saving.main"]["reused_jobs"] == 1

    text = redun("log", "--saved", "--since", "1d").out
    assert re.search(r"\| saving\.slow\s+\|\s+4 \|", text), text

    # Nothing in the future.
    later = redun("log", "--saved", "--since", "2999-01-01", "--format", "json")
    assert json.loads(later.out)["reused_jobs"] == 0


def test_a_bad_since_is_a_one_line_error(workdir: Path, redun) -> None:
    result = redun("log", "--saved", "--since", "soon")
    assert result.code == 2
    assert "redun: error: --since 'soon': expected a number and a unit" in result.err
