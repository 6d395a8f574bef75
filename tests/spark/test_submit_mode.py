"""Submit mode: each task is a spark-submit application running redun's driver."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from redun_spark.executor import SparkExecutor

WORKFLOW = """
import redun.glue as glue
from redun import task

@task(executor="spark")
def partitions(n: int) -> tuple:
    session = glue.get_spark_session()
    total = session.range(n).groupBy().sum("id").collect()[0][0]
    return total, session.conf.get("spark.sql.shuffle.partitions"), session.sparkContext.appName

@task()
def double(value: tuple) -> int:
    return 2 * value[0]

@task()
def main(n: int = 10) -> list:
    return [double(partitions(n)), partitions(n + 1)]

@task(executor="spark")
def bad_sql() -> int:
    return glue.get_spark_session().sql("SELECT * FROM no_such_table").count()
"""


def make_repo(tmp_path, extra: str = "") -> str:
    (tmp_path / ".redun").mkdir()
    (tmp_path / ".redun" / "redun.ini").write_text(
        "[backend]\ndb_uri = sqlite:///redun.db\n\n"
        "[executors.spark]\ntype = spark\nmaster = local[2]\nmode = submit\n"
        "conf.spark.ui.enabled = false\nconf.spark.sql.shuffle.partitions = 3\n"
        "conf.spark.driver.host = 127.0.0.1\nconf.spark.driver.bindAddress = 127.0.0.1\n"
        "job_monitor_interval = 0.2\n" + extra
    )
    (tmp_path / "wf.py").write_text(WORKFLOW)
    return str(tmp_path)


def redun(repo: str, *args: str) -> subprocess.CompletedProcess:
    code = "from redun.cli.main import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
    )


def submitted(repo: str) -> int:
    state = os.path.join(repo, ".redun", "spark", "submit")
    return len(os.listdir(state)) if os.path.isdir(state) else 0


def test_each_task_is_a_spark_application_with_the_sections_conf(tmp_path) -> None:
    repo = make_repo(tmp_path)

    first = redun(repo, "run", "wf.py", "main")

    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "[90, (55, '3', 'redun-partitions')]"
    assert submitted(repo) == 2

    second = redun(repo, "run", "wf.py", "main")
    assert second.stdout == first.stdout
    assert submitted(repo) == 2, "cached: nothing was submitted again"


def test_a_failing_spark_job_is_the_tasks_exception_with_sparks_message(tmp_path) -> None:
    repo = make_repo(tmp_path)

    result = redun(repo, "run", "wf.py", "bad_sql")

    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("redun: error: AnalysisException: [TABLE_OR_VIEW_NOT_FOUND]")
    assert "`no_such_table` cannot be found" in last
    assert "Spark status reason: spark-submit exited with code 1" in result.stderr
    assert "Log tail:" in result.stderr


def test_a_spark_submit_that_fails_before_the_task_names_sparks_error(tmp_path) -> None:
    repo = make_repo(tmp_path, "py_files = /nonexistent/deps.zip\n")

    result = redun(repo, "run", "wf.py", "partitions", "--n", "3")

    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("redun: error: Spark job ")
    assert (
        "failed: spark-submit exited with code 1: "
        ": java.io.FileNotFoundException: File file:/nonexistent/deps.zip does not exist"
    ) in result.stderr.strip().splitlines()[-1]


def test_spark_submit_not_found_says_what_to_set(tmp_path) -> None:
    executor = SparkExecutor(
        "spark", config={"mode": "submit", "spark_submit": str(tmp_path / "bin" / "spark-submit")}
    )

    from redun_spark.errors import SparkSetupError

    with pytest.raises(SparkSetupError) as error:
        executor.make_service()
    assert str(error.value) == (
        f"spark_submit = {tmp_path / 'bin' / 'spark-submit'} in [executors.spark] is not an "
        "executable: point it at Spark's bin/spark-submit"
    )


def test_without_spark_submit_anywhere_the_error_says_what_to_install(
    tmp_path, monkeypatch
) -> None:
    import importlib.util

    from redun_spark.errors import SparkSetupError
    from redun_spark.submit import find_spark_submit

    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)

    with pytest.raises(SparkSetupError) as error:
        find_spark_submit(None, "[executors.spark]")
    assert str(error.value) == (
        "spark-submit not found for [executors.spark]: pip install pyspark, put Spark's bin/ "
        "on PATH, or set spark_submit = /path/to/spark-submit"
    )
