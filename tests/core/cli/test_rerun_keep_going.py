"""`redun run --rerun ID` and `redun run --keep-going`, end to end through the console script."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

WORKFLOW = """
import time
from pathlib import Path
from redun import task

redun_namespace = "cliwf"

def mark(name):
    with open("calls.txt", "a") as out:
        out.write(name + "\\n")

@task()
def greet(name: str = "World", punct: str = "!"):
    mark("greet")
    return f"Hello, {name}{punct}"

@task()
def slow(x: int):
    time.sleep(0.3)
    mark("slow")
    return x

@task()
def after(x: int):
    mark("after")
    return x

@task()
def fails():
    raise ValueError("broken")

@task()
def main():
    return [fails(), after(slow(1))]
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "wf.py").write_text(WORKFLOW)
    return tmp_path


def redun(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "redun"
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def calls(repo: Path) -> list[str]:
    path = repo / "calls.txt"
    return path.read_text().split() if path.exists() else []


def test_rerun_replays_the_recorded_arguments(repo: Path) -> None:
    first = redun(repo, "run", "wf.py", "greet", "--name", "Mars", "--punct", "?")
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "'Hello, Mars?'"
    again = redun(repo, "run", "--rerun", "wf.py", "-")
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "'Hello, Mars?'"
    assert "Cached Job" in again.stderr
    assert calls(repo) == ["greet"]


def test_rerun_after_the_script_with_overriding_flags(repo: Path) -> None:
    # upstream's spelling (examples/debugging): redun run SCRIPT --rerun ID --flag value
    first = redun(repo, "run", "wf.py", "greet", "--name", "Mars", "--punct", "?")
    assert first.returncode == 0, first.stderr
    again = redun(repo, "run", "wf.py", "--rerun", "-", "--punct", "!!")
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "'Hello, Mars!!'"
    same = redun(repo, "run", "wf.py", "--rerun=-")
    assert same.stdout.strip() == "'Hello, Mars!!'"


def test_rerun_of_an_unknown_id_is_one_line(repo: Path) -> None:
    redun(repo, "run", "wf.py", "greet")
    result = redun(repo, "run", "--rerun", "wf.py", "ffffffff")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith("redun: error: ")


def test_keep_going_finishes_independent_branches(repo: Path) -> None:
    stopped = redun(repo, "run", "wf.py", "main")
    assert stopped.returncode == 1
    last = stopped.stderr.strip().splitlines()[-1]
    assert last.startswith("redun: error: ValueError: broken (in job ")
    assert last.endswith(": cliwf.fails)")
    assert calls(repo) == ["slow"]
    kept = redun(repo, "run", "--keep-going", "wf.py", "main")
    assert kept.returncode == 1
    # slow was cached by the first run; after now runs because of --keep-going.
    assert calls(repo) == ["slow", "after"]
