"""Spark for redun: tasks as Spark jobs on any Spark master or AWS Glue, and sharded
datasets whose hash follows their shards.

Installing the package is all it takes: ``[executors.spark] type = spark`` in redun.ini
selects the Spark executor through the ``redun_executors()`` hook. Names load lazily so
that discovering the plugin (``redun plugins``, ``redun --help``) never imports pyspark.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "SparkExecutor": "redun_spark.executor",
    "AWSGlueExecutor": "redun_spark.glue.executor",
    "ShardedDataset": "redun_spark.dataset",
    "ShardedS3Dataset": "redun_spark.dataset",
    "SparkError": "redun_spark.errors",
    "get_spark_session": "redun_spark.glue",
    "get_spark_context": "redun_spark.glue",
    "udf": "redun_spark.glue",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'redun_spark' has no attribute '{name}'")
    return getattr(importlib.import_module(module), name)
