"""Entry point of redun-spark: registers the Spark and AWS Glue executors and the
sharded dataset value types. Classes are imported inside the hooks so that discovering
the plugin never imports pyspark."""

from __future__ import annotations

from typing import Any

from redun.plugins import hookimpl


@hookimpl
def redun_executors() -> list[type[Any]]:
    from redun_spark.executor import SparkExecutor
    from redun_spark.glue.executor import AWSGlueExecutor

    return [SparkExecutor, AWSGlueExecutor]


@hookimpl
def redun_value_types() -> list[type[Any]]:
    from redun_spark.dataset import ShardedDataset, ShardedS3Dataset

    return [ShardedDataset, ShardedS3Dataset]
