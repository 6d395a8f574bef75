"""Errors of redun-spark: one line each, saying what is wrong and what to install or set."""

from __future__ import annotations

from redun.errors import ConfigError, ExecutorError, RedunError


class SparkError(ExecutorError):
    """Spark could not be started, or a Spark job failed outside the task's own code."""


class SparkSetupError(SparkError):
    """Something Spark needs is missing: pyspark, Java, spark-submit."""


class SparkConfigError(ConfigError):
    """An ``[executors.NAME]`` section of type spark or aws_glue is malformed."""


class SparkJobError(SparkError):
    """A submitted Spark job ended without writing a result or a task error."""


class DatasetError(RedunError):
    """A sharded dataset cannot be read or written as asked (no shards, bad format)."""
