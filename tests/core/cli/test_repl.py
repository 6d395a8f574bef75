"""`redun repl`: a Python prompt on the repository's provenance."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_repl_answers_queries_on_the_last_execution(tmp_path):
    (tmp_path / "wf.py").write_text(
        textwrap.dedent(
            """
            from redun import task
            redun_namespace = "repl_demo"

            @task()
            def add(a: int, b: int) -> int:
                return a + b

            @task()
            def main(x: int = 1) -> int:
                return add(x, add(2, 3))
            """
        )
    )
    redun = [str(Path(sys.executable).parent / "redun")]
    run = subprocess.run(
        [*redun, "run", "wf.py", "main", "--x", "4"], cwd=tmp_path, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    lines = "\n".join(
        [
            "print('result', last_exec.job.call_node.value_parsed)",
            "print('jobs', session.query(Job).count())",
            "print('found', query(last_exec.id[:8]).id == last_exec.id)",
            "print('cached', session.query(Job).filter(Job.cached).count())",
        ]
    )
    repl = subprocess.run(
        [*redun, "repl"], cwd=tmp_path, input=lines, capture_output=True, text=True
    )
    assert repl.returncode == 0, repl.stderr
    assert "result 9" in repl.stdout
    assert "jobs 3" in repl.stdout
    assert "found True" in repl.stdout
    assert "cached 0" in repl.stdout
