"""A workflow run as a plain script prints redun's [redun] lines, as upstream's does,
unless the script configured logging itself."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

SCRIPT = """
{setup}
from redun import Scheduler, task

redun_namespace = "script"


@task()
def greeter(greet: str, thing: str) -> str:
    return f"{{greet}}, {{thing}}!"


@task()
def main(greet: str = "Hello") -> str:
    return greeter(greet, "World")


if __name__ == "__main__":
    print(Scheduler().run(main()))
"""


def _run(tmp_path, setup: str = "") -> subprocess.CompletedProcess:
    (tmp_path / "wf.py").write_text(SCRIPT.format(setup=setup))
    return subprocess.run(
        [sys.executable, "wf.py"], cwd=tmp_path, capture_output=True, text=True, check=True
    )


def test_a_script_shows_the_run_as_redun_lines(tmp_path):
    result = _run(tmp_path)
    assert result.stdout == "Hello, World!\n"
    lines = result.stderr.splitlines()
    # Scheduler() without a config keeps its records in memory: a new schema every run.
    assert lines[0] == "[redun] Upgrading db from version -1.0 to 3.5..."
    assert lines[1].startswith("[redun] Start Execution ")
    assert lines[1].endswith(":  redun 'script.main()'")
    assert "[redun] Run    Job " in result.stderr
    assert any(
        line.endswith(":  script.greeter(greet='Hello', thing='World') on default")
        for line in lines
    )
    assert "[redun] | JOB STATUS " in result.stderr
    assert lines[-1].startswith("[redun] Execution duration: ")


def test_a_script_with_its_own_logging_setup_keeps_it(tmp_path):
    setup = "import logging\nlogging.basicConfig(level=logging.INFO, format='LOG %(message)s')"
    result = _run(tmp_path, setup)
    assert "[redun]" not in result.stderr
    assert "LOG Run    Job " in result.stderr
