"""The executor contract (tests/contracts/executor_contract.py) run against the Spark
executor in session mode: jobs run on the test session's local Spark driver.

Submit mode is left out: each job there is a ``spark-submit`` application with a JVM of
its own (several seconds each on this machine), so the contract's 50-job fan-out would
take minutes; tests/spark/test_submit_mode.py runs that mode end to end instead.
"""

from __future__ import annotations

from typing import Any

import pytest
from contracts.executor_contract import *  # noqa: F403


@pytest.fixture
def executor(spark_session: Any, spark_config: dict[str, str]) -> Any:
    """``executor(name)``: a Spark executor sharing the test session's Spark."""
    from redun_spark.executor import SparkExecutor

    return lambda name: SparkExecutor(name, config=spark_config)
