"""Every example under examples/ runs through ``redun run`` in a fresh copy, as a user would."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
REDUN = [sys.executable, "-c", "import sys; from redun.cli.main import main; sys.exit(main())"]

pytestmark = pytest.mark.slow


@pytest.fixture
def example(tmp_path, monkeypatch):
    """Copy an example directory to a temp dir and run ``redun`` commands there."""
    monkeypatch.delenv("REDUN_CONFIG", raising=False)

    def copy(name: str):
        dest = tmp_path / name
        shutil.copytree(EXAMPLES / name, dest, ignore=shutil.ignore_patterns(".redun", "results"))

        def run(*argv: str) -> subprocess.CompletedProcess:
            proc = subprocess.run(
                [*REDUN, *argv], cwd=dest, capture_output=True, text=True, env=dict(os.environ)
            )
            assert proc.returncode == 0, proc.stderr[-2000:]
            return proc

        return dest, run

    return copy


def ran_jobs(proc: subprocess.CompletedProcess) -> list[str]:
    """Task names of the jobs a run executed (the log's ``Run Job`` lines)."""
    return re.findall(r"Run\s+Job \w+:\s+([\w.]+)\(", proc.stderr)


def test_every_example_has_a_readme_and_is_tested():
    names = sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert names == ["01_hello_world", "02_file_pipeline", "03_fan_out_fan_in", "04_error_recovery"]
    for name in names[1:]:
        assert (EXAMPLES / name / "README.md").exists()
    readme = (EXAMPLES.parent / "README.md").read_text()
    for name in names:
        assert f"examples/{name}" in readme


def test_hello_world(example):
    _, run = example("01_hello_world")
    first = run("run", "hello.py", "main")
    assert first.stdout.strip() == "'Hello, World!'"
    assert sorted(ran_jobs(first)) == ["hello.get_planet", "hello.greeter", "hello.main"]
    assert ran_jobs(run("run", "hello.py", "main")) == []
    assert run("run", "hello.py", "main", "--greet", "Hi").stdout.strip() == "'Hi, World!'"


def test_file_pipeline(example):
    home, run = example("02_file_pipeline")
    first = run("run", "pipeline.py", "main")
    assert ran_jobs(first).count("redun.script_task") == 3
    summary = (home / "results/summary.tsv").read_text().splitlines()
    assert summary == [
        "sample\tdistinct_words\ttop_word",
        "alpha\t10\tthe",
        "beta\t14\tto",
        "gamma\t20\ta",
    ]
    assert (home / "results/alpha.counts.txt").read_text().split()[:2] == ["4", "the"]

    assert ran_jobs(run("run", "pipeline.py", "main")) == []

    (home / "results/beta.counts.txt").unlink()
    third = run("run", "pipeline.py", "main")
    assert ran_jobs(third).count("redun.script_task") == 1
    assert (home / "results/beta.counts.txt").exists()

    with (home / "data/alpha.txt").open("a") as sample:
        sample.write("zebra zebra zebra zebra zebra\n")
    fourth = run("run", "pipeline.py", "main")
    assert ran_jobs(fourth).count("redun.script_task") == 1
    assert "alpha\t11\tzebra" in (home / "results/summary.tsv").read_text()


def test_fan_out_fan_in(example):
    _, run = example("03_fan_out_fan_in")
    first = run("run", "fan_out.py", "main")
    assert first.stdout.strip() == "2870"
    assert ran_jobs(first).count("fan_out.square_chunk") == 4  # 20 numbers in chunks of 6
    second = run("run", "fan_out.py", "main", "--chunk-size", "5")
    assert second.stdout.strip() == "2870"
    assert ran_jobs(second).count("fan_out.square_chunk") == 4
    assert run("run", "fan_out.py", "main", "--n", "3").stdout.strip() == "14"


def test_error_recovery(example):
    _, run = example("04_error_recovery")
    first = run("run", "recovery.py", "main")
    assert ast.literal_eval(first.stdout) == {
        "total": 7,
        "parsed": 3,
        "skipped": ["record 'oops' has no '='", "record 'c=x' has a non-integer value"],
    }
    assert "error_recovery.skip_record" in ran_jobs(first)
    assert "error_recovery.parse_record" not in ran_jobs(run("run", "recovery.py", "main"))
    other = run("run", "recovery.py", "main", "--records", "x=1,y=oops,z")
    assert ast.literal_eval(other.stdout)["parsed"] == 1
