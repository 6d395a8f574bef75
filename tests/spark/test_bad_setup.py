"""What a user sees when Spark cannot start: one line naming what to install or set."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

WORKFLOW = """
from redun import task
import redun.glue as glue

@task(executor="spark")
def on_spark(n: int) -> int:
    return glue.get_spark_session().range(n).count()

@task()
def local_step(n: int) -> int:
    return n + 1

@task()
def main(n: int = 3) -> list:
    return [local_step(n), on_spark(n)]
"""

REDUN = [sys.executable, "-c", "import sys; from redun.cli.main import main; main()"]


def make_repo(tmp_path, executor_section: str):
    (tmp_path / ".redun").mkdir()
    (tmp_path / ".redun" / "redun.ini").write_text(
        "[backend]\ndb_uri = sqlite:///redun.db\n\n[executors.spark]\ntype = spark\n"
        + executor_section
    )
    (tmp_path / "wf.py").write_text(WORKFLOW)
    return tmp_path


def run_redun(repo, *args: str, env: dict | None = None, prelude: str = ""):
    code = f"import sys\n{prelude}\nfrom redun.cli.main import main\nmain()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def error_line(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.startswith("redun: error:")]
    assert lines, result.stderr
    return lines[-1]


def job_states(repo) -> dict[str, bool]:
    """Recorded jobs of the last execution: task name -> finished (has an end time)."""
    with sqlite3.connect(repo / ".redun" / "redun.db") as conn:
        rows = conn.execute(
            "SELECT task.name, job.end_time IS NOT NULL FROM job "
            "JOIN task ON task.hash = job.task_hash"
        ).fetchall()
    return {name: bool(done) for name, done in rows}


def test_java_missing_says_to_install_java(tmp_path) -> None:
    repo = make_repo(tmp_path, "master = local[1]\n")
    env = {k: v for k, v in os.environ.items() if k != "JAVA_HOME"}
    env["PATH"] = os.path.dirname(sys.executable)

    result = run_redun(repo, "run", "wf.py", "main", env=env)

    assert result.returncode == 1
    assert error_line(result).startswith(
        "redun: error: Spark needs Java and no java is on PATH: install Java 17 or newer"
    )
    assert job_states(repo) == {"main": True, "local_step": True, "on_spark": True}


def test_a_java_home_without_java_names_it(tmp_path) -> None:
    repo = make_repo(tmp_path, "master = local[1]\n")
    env = dict(os.environ, JAVA_HOME=str(tmp_path / "no-jdk"))

    result = run_redun(repo, "run", "wf.py", "main", env=env)

    assert f"JAVA_HOME={tmp_path / 'no-jdk'} has no bin/java" in error_line(result)


def test_pyspark_missing_says_what_to_install(tmp_path) -> None:
    repo = make_repo(tmp_path, "master = local[1]\n")

    result = run_redun(
        repo, "run", "wf.py", "main", prelude="sys.modules['pyspark'] = None  # not installed"
    )

    line = error_line(result)
    assert line.startswith("redun: error: Spark tasks need pyspark, which cannot be imported")
    assert "pip install redun-spark (or pip install pyspark)" in line


def test_a_bad_master_url_is_a_config_error_before_anything_runs(tmp_path) -> None:
    repo = make_repo(tmp_path, "master = sparc://host:7077\n")

    result = run_redun(repo, "run", "wf.py", "main")

    assert result.returncode == 2
    assert error_line(result).startswith(
        "redun: error: invalid Spark master 'sparc://host:7077' in [executors.spark]"
    )


@pytest.mark.parametrize("key", ["spark_conf = {bad", "mode = cluster"])
def test_bad_keys_fail_with_exit_2(tmp_path, key: str) -> None:
    repo = make_repo(tmp_path, key + "\n")

    result = run_redun(repo, "run", "wf.py", "main")

    assert result.returncode == 2, result.stderr
    assert "in [executors.spark]" in error_line(result)
