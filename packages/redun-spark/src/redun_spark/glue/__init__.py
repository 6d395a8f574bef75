"""Helpers for code running inside a Spark task (upstream's ``redun.glue``).

They work the same whichever executor runs the task: the Spark executor in session or
submit mode, or AWS Glue. Nothing here imports pyspark until it is called, so a workflow
module can import these helpers on a machine without Spark.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from redun_spark.session import current_session

if TYPE_CHECKING:
    from pyspark import SparkContext
    from pyspark.sql import DataFrame, SparkSession

NO_SESSION = (
    "Spark has not been initialized: run this task on a Spark executor "
    "(@task(executor=NAME) with [executors.NAME] type = spark or aws_glue)"
)


def get_spark_session() -> SparkSession:
    """The SparkSession of the executor running the current task.

    Raises
    ------
    ValueError
        No Spark is running in this process (as upstream's helper does).
    """
    session = current_session()
    if session is None:
        raise ValueError(NO_SESSION)
    return session


def get_spark_context() -> SparkContext:
    """The SparkContext of the executor running the current task (ValueError if none)."""
    return get_spark_session().sparkContext


def get_glue_context() -> Any:
    """A GlueContext over the current SparkContext; only inside AWS Glue (ValueError
    elsewhere, where ``awsglue`` is not installed)."""
    try:
        from awsglue.context import GlueContext
    except ImportError:
        raise ValueError(
            "awsglue is not installed: GlueContext exists only inside AWS Glue jobs"
        ) from None
    return GlueContext(get_spark_context())


def get_num_workers() -> int:
    """How many Spark executors the job has: ``spark.executor.instances`` when the
    cluster manager sets it, else the default parallelism (the cores of ``local[N]``)."""
    context = get_spark_context()
    instances = context.getConf().get("spark.executor.instances")
    return int(instances) if instances else int(context.defaultParallelism)


class LazyUDF:
    """A Python function that becomes a Spark UDF on its first call inside a session.

    ``pyspark.sql.functions.udf`` needs a running SparkContext when it is applied, but a
    workflow module is imported (and its decorators applied) long before any executor has
    started Spark. Called on columns (Column objects or column names) with a session
    running, this builds the UDF once per SparkContext and applies it; called on ordinary
    values, it is the plain function, so it can be tested without Spark.
    """

    def __init__(self, func: Callable, return_type: Any = None) -> None:
        functools.update_wrapper(self, func)
        self.func = func
        self.return_type = return_type
        self._udfs: dict[int, Any] = {}

    def spark_udf(self) -> Any:
        """The pyspark UDF for the running session (built on first use)."""
        context = get_spark_context()
        key = id(context)
        built = self._udfs.get(key)
        if built is None:
            from pyspark.sql.functions import udf as pyspark_udf

            if self.return_type is None:
                built = pyspark_udf(self.func)
            else:
                built = pyspark_udf(self.func, self.return_type)
            self._udfs = {key: built}
        return built

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if _on_columns(args, kwargs) and current_session() is not None:
            return self.spark_udf()(*args, **kwargs)
        return self.func(*args, **kwargs)

    def __reduce__(self) -> tuple:
        # Spark pickles UDFs to ship them to workers; only the function and type travel.
        return (LazyUDF, (self.func, self.return_type))


def _on_columns(args: tuple, kwargs: dict) -> bool:
    """Whether a call means Spark columns: any Column, or only column names."""
    values = [*args, *kwargs.values()]
    if not values:
        return False
    column_type = _column_type()
    if column_type is not None and any(isinstance(value, column_type) for value in values):
        return True
    return all(isinstance(value, str) for value in values)


def _column_type() -> type | None:
    import sys

    if sys.modules.get("pyspark") is None:
        return None  # no Column can exist yet
    from pyspark.sql import Column

    return Column


def udf(wrapped_func: Callable | None = None, return_type: Any = None) -> Any:
    """Decorate a function as a Spark UDF whose registration waits for a SparkSession.

    Use as ``@udf``, ``@udf(return_type="long")`` or ``udf(func, IntegerType())``.
    """
    if wrapped_func is None:
        return functools.partial(udf, return_type=return_type)
    return LazyUDF(wrapped_func, return_type)


def sql_query(dataset: DataFrame, query: str, dataset_alias: str = "dataset") -> DataFrame:
    """Run a SQL ``query`` over ``dataset``, which the query names as ``dataset_alias``."""
    if dataset_alias not in query:
        raise ValueError(f"query does not mention the dataset alias {dataset_alias!r}: {query!r}")
    dataset.createOrReplaceTempView(dataset_alias)
    return get_spark_session().sql(query)


def setup_glue_job(job_name: str, job_args: list[str]) -> Any:
    """Initialize an AWS Glue job (only inside AWS Glue, where ``awsglue`` exists)."""
    try:
        from awsglue.context import GlueContext
        from awsglue.job import Job as GlueJob
        from pyspark.context import SparkContext
    except ImportError:
        raise ValueError("awsglue is not installed: Glue jobs only run inside AWS Glue") from None
    job = GlueJob(GlueContext(SparkContext.getOrCreate()))
    job.init(job_name, job_args)
    return job


def load_datacatalog_spark_dataset(
    database: str, table_name: str, hashfield: str | None = None
) -> DataFrame:
    """A Glue Data Catalog table as a Spark DataFrame (inside AWS Glue)."""
    options = {"hashfield": hashfield} if hashfield else {}
    frame = get_glue_context().create_dynamic_frame.from_catalog(database, table_name, options)
    return frame.toDF()


def clean_datacatalog_table(database: str, table: str, remove_older_than: int = 1) -> None:
    """Purge a Glue Data Catalog table's records (and S3 files) older than
    ``remove_older_than`` hours (inside AWS Glue)."""
    get_glue_context().purge_table(
        catalog_id=None,
        database=database,
        table=table,
        options={"retentionPeriod": remove_older_than},
    )


__all__ = [
    "LazyUDF",
    "clean_datacatalog_table",
    "get_glue_context",
    "get_num_workers",
    "get_spark_context",
    "get_spark_session",
    "load_datacatalog_spark_dataset",
    "setup_glue_job",
    "sql_query",
    "udf",
]
