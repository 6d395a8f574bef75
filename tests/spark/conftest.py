"""Fixtures for redun-spark: one real local Spark for the whole test session.

Spark binds to 127.0.0.1 with its UI off. The session is started here, before any
executor asks for one, so every Spark executor in the tests reuses it (the executor
leaves a session it did not start to its owner) and the JVM starts once.
"""

from __future__ import annotations

import os
import sys

import pytest

# The S3 server and the AWS emulator fixtures come from tests/conftest.py (one of each
# per test session, shared with the redun-aws tests).
os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)

MASTER = "local[2]"
TEST_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
}


@pytest.fixture(scope="session")
def spark_session():
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(MASTER).appName("redun-spark-tests")
    for key, value in TEST_CONF.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture
def spark_config():
    """An ``[executors.spark]`` section for session mode on the test session's master."""
    return {"type": "spark", "master": MASTER}


@pytest.fixture
def make_scheduler(tmp_path, spark_config):
    """Schedulers sharing one SQLite file, like successive `redun run`s."""
    from redun import Scheduler

    made = []

    def make(**sections):
        config = {
            "backend": {"db_uri": f"sqlite:///{tmp_path / 'redun.db'}"},
            "executors": {"spark": spark_config},
        }
        config.update(sections)
        made.append(Scheduler(config=config))
        return made[-1]

    yield make
    for scheduler in made:
        scheduler.backend.close()
