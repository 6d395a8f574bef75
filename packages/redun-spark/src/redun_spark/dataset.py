"""Sharded datasets: a directory of shard files that together make one table.

A Spark job writes a table as many files (shards). :class:`ShardedDataset` names such a
directory on any redun file system and hashes it by the shards that the next
:meth:`~ShardedDataset.load_spark` would read, so a task taking a dataset reruns when its
shards change and stays cached otherwise. :class:`ShardedS3Dataset` is upstream redun's
S3-only class, with upstream's hash recipe so recorded values keep their hashes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from redun.file import File, glob_file
from redun.file.urls import get_proto
from redun.hashing import hash_struct
from redun.value import Value

from redun_spark.dataset_io import read_pandas_shard, read_spark, write_spark
from redun_spark.errors import DatasetError

if TYPE_CHECKING:
    import pandas
    import pyspark.sql

# The formats upstream accepts (Glue's names); Spark and pandas each read a subset.
FORMATS = ("avro", "csv", "ion", "grokLog", "json", "orc", "parquet", "xml")


class ShardedDataset(Value):
    """A dataset stored as shards ``<path>/**/*.<format>`` on any redun file system.

    Parameters
    ----------
    path : str
        The dataset's directory: a local path, ``file://``, ``s3://`` (with redun-aws), or
        any scheme a redun file system serves.
    format : str
        The shards' format and file extension: parquet (default), csv, json, orc, avro.
    recurse : bool
        Whether shards in subdirectories (Spark's ``key=value`` partitions) belong to it.
    """

    type_name = "redun.ShardedDataset"
    hash_label = "ShardedDataset"

    def __init__(self, path: str, format: str = "parquet", recurse: bool = True) -> None:
        if format not in FORMATS:
            raise ValueError(
                f"invalid dataset format {format!r}: expected one of {', '.join(FORMATS)}"
            )
        self._path = self._check_path(str(path).rstrip("/"))
        self._format = format
        self._recurse = recurse
        self._hash: str | None = None
        self._filenames: list[str] = self._gather_files()

    @classmethod
    def _check_path(cls, path: str) -> str:
        return path

    # -- what the dataset is ----------------------------------------------------------
    @property
    def path(self) -> str:
        return self._path

    @path.setter
    def path(self, value: str) -> None:
        self._path = value.rstrip("/")
        self.update_hash()

    @property
    def format(self) -> str:
        return self._format

    @format.setter
    def format(self, value: str) -> None:
        self._format = value
        self.update_hash()

    @property
    def recurse(self) -> bool:
        return self._recurse

    @recurse.setter
    def recurse(self, value: bool) -> None:
        self._recurse = value
        self.update_hash()

    @property
    def filenames(self) -> list[str]:
        """The shards found when the dataset was last hashed, sorted."""
        return self._filenames

    def _gather_files(self) -> list[str]:
        files = glob_file(f"{self._path}/*.{self._format}")
        if self._recurse:
            files.extend(glob_file(f"{self._path}/**/*.{self._format}"))
        return sorted(set(files))

    # -- hashing and validity -----------------------------------------------------------
    @property
    def hash(self) -> str:
        if not self._hash:
            self._hash = self._calc_hash()
        return self._hash

    def get_hash(self, data: bytes | None = None) -> str:
        return self.hash

    def update_hash(self) -> None:
        self._hash = self._calc_hash()

    def _calc_hash(self) -> str:
        """Re-list the shards (a job may have written new ones) and hash them.

        The hash covers each shard's name and its file system hash (size and mtime, or
        the object's ETag), so rewriting one shard in place also changes it.
        """
        self._filenames = self._gather_files()
        return hash_struct(self._hash_parts(self._filenames))

    def _hash_parts(self, filenames: Sequence[str]) -> list[str]:
        hashes = [File(name).get_hash() for name in filenames]
        return [self.hash_label, self._path, *filenames, *hashes]

    def is_valid(self) -> bool:
        """Whether a cached dataset still has the shards it had when recorded."""
        if not self._hash:
            self.update_hash()
            return True
        return self._hash == self._calc_hash()

    def postprocess(self, postprocess_args: dict) -> ShardedDataset:
        # A task returning a dataset usually just wrote its shards: hash what is there now.
        self.update_hash()
        return self

    def iter_subvalues(self) -> Iterator[Value]:
        for name in self._filenames:
            yield File(name)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(path={self._path}, format={self._format}, "
            f"recurse={self._recurse}, hash={self.hash})"
        )

    def __getstate__(self) -> dict:
        return {
            "path": self._path,
            "format": self._format,
            "recurse": self._recurse,
            "hash": self._hash,
            "files": self._filenames,
        }

    def __setstate__(self, state: dict) -> None:
        self._path = state["path"]
        self._format = state["format"]
        self._recurse = state["recurse"]
        self._hash = state["hash"]
        self._filenames = state["files"]

    # -- reading and writing ------------------------------------------------------------
    def _require_shards(self, action: str) -> list[str]:
        self.update_hash()
        if not self._filenames:
            where = "recursively " if self._recurse else ""
            raise DatasetError(
                f"cannot {action}: no {self._format} shards {where}under {self._path} "
                f"(looked for *.{self._format}); check the path and format="
            )
        return self._filenames

    def load_spark(
        self, validate: bool = False, format_options: dict[str, Any] | None = None
    ) -> pyspark.sql.DataFrame:
        """The dataset as a Spark DataFrame, read from exactly the shards its hash covers.

        Must run inside a Spark task (or with a SparkSession running). ``validate``
        also checks that the dataset has at least one row (a full count).
        """
        from redun_spark.glue import get_spark_session

        session = get_spark_session()
        files = self._require_shards("load_spark")
        frame = read_spark(session, self._path, self._format, files, format_options or {})
        if validate and frame.count() == 0:
            raise DatasetError(f"no {self._format} records in {self._path}: is there a typo?")
        return frame

    def save_spark(
        self,
        dataset: pandas.DataFrame | pyspark.sql.DataFrame,
        partition_keys: Sequence[str] = (),
        catalog_database: str = "default",
        catalog_table: str | None = None,
        format_options: dict[str, Any] | None = None,
        mode: str = "append",
    ) -> None:
        """Write a pandas or Spark DataFrame as new shards under the dataset's path.

        ``partition_keys`` makes one ``KEY=value`` subdirectory per value. New shards are
        added next to existing ones (``mode="append"``, as Glue's sink does); pass
        ``mode="overwrite"`` to replace them. The hash is updated afterwards.
        """
        if catalog_table is not None:
            raise DatasetError(
                "catalog_table needs AWS Glue's Data Catalog: run the task on an "
                "aws_glue executor, or leave catalog_table unset"
            )
        from redun_spark.glue import get_spark_session

        session = get_spark_session()
        frame = _as_spark_frame(session, dataset)
        write_spark(
            frame, self._path, self._format, list(partition_keys), format_options or {}, mode
        )
        self.update_hash()

    def purge_spark(
        self, remove_older_than: int = 1, manifest_file_path: str | None = None
    ) -> None:
        """Remove the dataset's files older than ``remove_older_than`` hours (AWS Glue)."""
        from redun_spark.glue import get_glue_context

        options: dict[str, Any] = {"retentionPeriod": remove_older_than}
        if manifest_file_path:
            options["manifestFilePath"] = manifest_file_path
        get_glue_context().purge_s3_path(self._path, options=options)
        self.update_hash()

    def load_pandas(self, max_shards: int = -1) -> pandas.DataFrame:
        """The dataset (or its first ``max_shards`` shards) as one pandas DataFrame."""
        import pandas

        return pandas.concat(self.load_pandas_shards(max_shards), ignore_index=True)

    def load_pandas_shards(self, max_shards: int = -1) -> list[pandas.DataFrame]:
        """One pandas DataFrame per shard, in the shards' sorted order."""
        files = self._require_shards("load_pandas")
        if max_shards >= 0:
            files = files[:max_shards]
        return [read_pandas_shard(name, self._format) for name in files]

    @classmethod
    def from_files(
        cls,
        files: Sequence[File],
        format: str | None = None,
        allow_additional_files: bool = False,
    ) -> ShardedDataset:
        """The dataset whose directory is the deepest one holding all of ``files``.

        Raises
        ------
        ValueError
            No files, files of mixed formats, or (unless ``allow_additional_files``) a
            directory that also holds other shards.
        """
        if not files:
            raise ValueError("cannot make a dataset from an empty list of files")
        for file in files:
            if not file.exists():
                raise FileNotFoundError(f"{file.path} must exist to make a dataset of it")
        root = _common_dir([file.path for file in files])
        if not format:
            formats = {os.path.splitext(file.path)[1].lstrip(".") for file in files}
            if len(formats) != 1:
                raise ValueError(f"files have mixed formats {sorted(formats)}: pass format=")
            format = formats.pop()
        dataset = cls(root, format=format)
        extra = set(dataset.filenames) - {file.path for file in files}
        if extra and not allow_additional_files:
            raise ValueError(
                f"{root} also holds {len(extra)} other {format} shard(s), e.g. "
                f"{sorted(extra)[0]}; pass allow_additional_files=True to include them"
            )
        return dataset


class ShardedS3Dataset(ShardedDataset):
    """Upstream redun's sharded dataset on S3 (``s3://`` through redun-aws).

    Its hash is upstream's: the path and the sorted shard names, so a shard rewritten
    in place under the same name is not noticed (use :class:`ShardedDataset` for that).
    """

    type_name = "redun.ShardedS3Dataset"
    hash_label = "ShardedS3Dataset"

    @classmethod
    def _check_path(cls, path: str) -> str:
        if get_proto(path) != "s3":
            raise ValueError(
                f"ShardedS3Dataset needs an s3:// path, not {path!r}: use "
                "redun_spark.ShardedDataset for other file systems"
            )
        return path

    def _hash_parts(self, filenames: Sequence[str]) -> list[str]:
        return [self.hash_label, self._path, *sorted(filenames)]


# Pickles name the class as upstream's do, so values recorded by either redun load in
# the other (redun.file resolves the name lazily to this class).
ShardedS3Dataset.__module__ = "redun.file"


def _as_spark_frame(session: Any, dataset: Any) -> Any:
    import pyspark.sql

    if isinstance(dataset, pyspark.sql.DataFrame):
        return dataset
    try:
        import pandas
    except ImportError:
        pandas = None
    if pandas is not None and isinstance(dataset, pandas.DataFrame):
        return session.createDataFrame(dataset)
    raise DatasetError(
        f"save_spark takes a pandas or Spark DataFrame, not {type(dataset).__name__}"
    )


def _common_dir(paths: Sequence[str]) -> str:
    """The deepest directory holding every path (URL schemes kept)."""
    proto = get_proto(paths[0])
    prefix = f"{proto}://" if proto != "local" else ""
    bare = [path[len(prefix) :] if prefix else path for path in paths]
    if len(bare) == 1:
        common = os.path.dirname(bare[0])
    else:
        common = os.path.commonpath(bare)
        if common in bare:  # commonpath of a/x and a/x is the file itself
            common = os.path.dirname(common)
    return prefix + common
