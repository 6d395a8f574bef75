"""Session mode: Spark tasks run in the scheduler's process on one shared SparkSession."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest
import redun.glue as glue
from redun import task

redun_namespace = "spark_tests.session"

seen_sessions: list = []


@task(executor="spark")
def spark_sum(n: int) -> int:
    session = glue.get_spark_session()
    seen_sessions.append((session, glue.get_spark_context(), threading.current_thread().name))
    return session.range(n).groupBy().sum("id").collect()[0][0]


@task()
def local_double(value: int) -> int:
    return 2 * value


@task()
def mixed(n: int) -> list:
    return [local_double(spark_sum(n)), spark_sum(n + 1)]


@glue.udf(return_type="long")
def plus_one(value):
    return value + 1


@task(executor="spark")
def apply_udf(n: int) -> list:
    frame = glue.get_spark_session().range(n)
    return [row[0] for row in frame.select(plus_one("id")).orderBy("id").collect()]


@task(executor="spark")
def spark_fails() -> None:
    glue.get_spark_session().sql("SELECT * FROM no_such_table").collect()


def test_spark_tasks_share_one_session_with_thread_tasks_around(
    spark_session, make_scheduler
) -> None:
    seen_sessions.clear()
    scheduler = make_scheduler()

    assert scheduler.run(mixed(10)) == [90, 55]

    sessions = {id(session) for session, _, _ in seen_sessions}
    assert sessions == {id(spark_session)}
    assert {id(context) for _, context, _ in seen_sessions} == {id(spark_session.sparkContext)}
    assert all(name.startswith("redun-spark") for _, _, name in seen_sessions)


def test_a_second_run_in_the_process_reuses_the_session_and_the_cache(
    spark_session, make_scheduler
) -> None:
    seen_sessions.clear()
    make_scheduler().run(mixed(20))
    assert len(seen_sessions) == 2

    assert make_scheduler().run(mixed(20)) == [380, 210]
    assert len(seen_sessions) == 2, "cached: no Spark task ran again"

    make_scheduler().run(mixed(21))
    assert {id(session) for session, _, _ in seen_sessions} == {id(spark_session)}


def test_udf_registers_when_the_task_runs_and_is_a_plain_function_outside(
    spark_session, make_scheduler
) -> None:
    assert make_scheduler().run(apply_udf(3)) == [1, 2, 3]

    assert plus_one(41) == 42, "outside a Spark task the UDF is its plain function"


def test_get_spark_session_without_spark_is_a_clear_error_and_imports_nothing() -> None:
    code = (
        "import sys, redun.glue as glue\n"
        "try:\n    glue.get_spark_session()\n"
        "except ValueError as error:\n    print(error)\n"
        "print('pyspark' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    message, imported = out.stdout.strip().splitlines()
    assert message.startswith("Spark has not been initialized: run this task on a Spark executor")
    assert imported == "False"


def test_a_failing_spark_job_fails_its_task_with_sparks_message(
    spark_session, make_scheduler
) -> None:
    from pyspark.errors import AnalysisException

    with pytest.raises(AnalysisException, match="no_such_table"):
        make_scheduler().run(spark_fails())
