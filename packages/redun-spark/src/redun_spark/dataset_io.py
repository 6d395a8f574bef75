"""Moving shards between a redun file system and Spark or pandas.

Spark reads local paths itself and reaches object stores through Hadoop connectors
(``s3a://`` needs hadoop-aws on the classpath). When Spark runs on a ``local[...]``
master and a dataset lives on another redun file system (``s3://`` through redun-aws,
or any plugin's scheme), shards are staged through redun's own file system instead: the
driver and the local workers share this machine's disk, so a staging directory is
visible to both and no Hadoop connector is needed. On a cluster master, ``s3://`` is
handed to Spark as ``s3a://``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from redun.file import File, glob_file
from redun.file.urls import get_proto

from redun_spark.errors import DatasetError

# Glue's option names (what upstream's users pass) -> Spark's reader/writer options.
_GLUE_OPTIONS = {
    "withHeader": "header",
    "writeHeader": "header",
    "separator": "sep",
    "quoteChar": "quote",
    "escaper": "escape",
}
SPARK_FORMATS = ("parquet", "csv", "json", "orc", "avro", "xml")
_staging_lock = threading.Lock()
_staging_root: str | None = None


def spark_options(format: str, options: Mapping[str, Any], writing: bool) -> dict[str, str]:
    """Reader/writer options: csv has a header line by default, as upstream's."""
    result: dict[str, str] = {}
    if format == "csv":
        result["header"] = "true"
        if not writing:
            result["inferSchema"] = "true"
    for key, value in options.items():
        if key == "optimizePerformance":
            continue  # a Glue-only switch
        text = str(value).lower() if isinstance(value, bool) else str(value)
        result[_GLUE_OPTIONS.get(key, key)] = text
    return result


def _check_spark_format(format: str) -> None:
    if format not in SPARK_FORMATS:
        raise DatasetError(
            f"Spark cannot read or write format {format!r} outside AWS Glue: "
            f"use one of {', '.join(SPARK_FORMATS)}"
        )


def is_local_path(path: str) -> bool:
    return get_proto(path) in ("local", "file")


def os_path(path: str) -> str:
    return path[len("file://") :] if path.startswith("file://") else path


def needs_staging(session: Any, path: str) -> bool:
    """Whether shards at ``path`` go through redun's file system rather than Spark's."""
    if is_local_path(path):
        return False
    master = session.sparkContext.master
    return master == "local" or master.startswith("local[")


def spark_url(path: str) -> str:
    """The URL Spark's Hadoop connectors use for ``path``."""
    if is_local_path(path):
        return os.path.abspath(os_path(path))
    if path.startswith("s3://"):
        return "s3a://" + path[len("s3://") :]
    return path


def read_spark(
    session: Any, path: str, format: str, files: Sequence[str], options: Mapping[str, Any]
) -> Any:
    """Read exactly ``files`` (shards under ``path``) as one Spark DataFrame.

    ``basePath`` keeps Spark's partition discovery: columns encoded in ``KEY=value``
    directories come back as columns.
    """
    _check_spark_format(format)
    if needs_staging(session, path):
        local_root = stage_down(path, files)
        urls = [os.path.join(local_root, _relative(path, name)) for name in files]
        base = local_root
    else:
        urls = [spark_url(name) for name in files]
        base = spark_url(path)
    reader = session.read.format(format).options(**spark_options(format, options, False))
    return reader.option("basePath", base).load(urls)


def write_spark(
    frame: Any,
    path: str,
    format: str,
    partition_keys: list[str],
    options: Mapping[str, Any],
    mode: str,
) -> None:
    """Write ``frame`` as shards under ``path`` (through a staging directory if needed)."""
    _check_spark_format(format)
    staged = needs_staging(frame.sparkSession, path)
    target = tempfile.mkdtemp(prefix="redun-spark-out-") if staged else spark_url(path)
    writer = frame.write.format(format).options(**spark_options(format, options, True))
    if partition_keys:
        writer = writer.partitionBy(*partition_keys)
    writer.mode("overwrite" if staged else mode).save(target)
    if staged:
        try:
            if mode == "overwrite":
                for old in glob_file(f"{path}/**/*.{format}"):
                    File(old).remove()
            stage_up(target, path)
        finally:
            shutil.rmtree(target, ignore_errors=True)


def read_pandas_shard(name: str, format: str) -> Any:
    """One shard as a pandas DataFrame, read through redun's file system."""
    import pandas

    with File(name).open("rb") as handle:
        if format == "parquet":
            return pandas.read_parquet(handle)
        if format == "csv":
            return pandas.read_csv(handle)
        if format == "json":
            return pandas.read_json(handle, lines=True)  # Spark writes JSON lines
        if format == "orc":
            return pandas.read_orc(handle)
    raise DatasetError(f"pandas cannot read format {format!r}: use parquet, csv, json or orc")


def _relative(root: str, name: str) -> str:
    return name[len(root) :].lstrip("/")


def _staging_dir() -> str:
    global _staging_root
    with _staging_lock:
        if _staging_root is None:
            _staging_root = tempfile.mkdtemp(prefix="redun-spark-in-")
            atexit.register(shutil.rmtree, _staging_root, True)
        return _staging_root


def stage_down(path: str, files: Sequence[str]) -> str:
    """Copy shards to a local directory that lives until the process exits.

    Spark reads lazily, so the copies must outlive this call; each read gets its own
    directory because a later read of the same dataset may see other shards.
    """
    local_root = tempfile.mkdtemp(dir=_staging_dir())
    for name in files:
        target = os.path.join(local_root, _relative(path, name))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        File(name).copy_to(File(target))
    return local_root


def stage_up(local_root: str, path: str) -> None:
    """Copy Spark's output files (not its _SUCCESS and .crc markers) under ``path``."""
    for directory, _, names in os.walk(local_root):
        for filename in names:
            if filename.startswith(("_", ".")):
                continue
            source = os.path.join(directory, filename)
            relative = os.path.relpath(source, local_root)
            File(source).copy_to(File(f"{path}/{relative}"))
