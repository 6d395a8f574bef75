"""Datasets on S3 (a real SeaweedFS server) through redun-aws's file system: redun-spark
reaches ``s3://`` only through core's registry, never by importing redun-aws."""

from __future__ import annotations

import io
import pickle

import pandas
import pytest
from redun import File
from redun.hashing import hash_struct
from redun_spark import ShardedDataset, ShardedS3Dataset


def put_parquet(url: str, frame: pandas.DataFrame) -> None:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    with File(url).open("wb") as out:
        out.write(buffer.getvalue())


@pytest.fixture
def s3_numbers(s3_bucket) -> str:
    root = f"s3://{s3_bucket}/numbers"
    put_parquet(f"{root}/part-0.parquet", pandas.DataFrame({"k": ["a", "b"], "v": [1, 2]}))
    put_parquet(f"{root}/sub/part-1.parquet", pandas.DataFrame({"k": ["c"], "v": [3]}))
    return root


def test_sharded_s3_dataset_hash_is_upstreams_recipe(s3_numbers) -> None:
    dataset = ShardedS3Dataset(s3_numbers + "/")

    files = [f"{s3_numbers}/part-0.parquet", f"{s3_numbers}/sub/part-1.parquet"]
    assert dataset.path == s3_numbers
    assert dataset.filenames == files
    assert dataset.hash == hash_struct(["ShardedS3Dataset", s3_numbers, *files])
    assert ShardedS3Dataset(s3_numbers, recurse=False).filenames == files[:1]


def test_sharded_s3_dataset_pickles_under_upstreams_name(s3_numbers) -> None:
    data = pickle.dumps(ShardedS3Dataset(s3_numbers))

    assert b"redun.file" in data and b"ShardedS3Dataset" in data
    import redun.file

    assert redun.file.ShardedS3Dataset is ShardedS3Dataset
    loaded = pickle.loads(data)
    assert (loaded.path, loaded.filenames) == (s3_numbers, ShardedS3Dataset(s3_numbers).filenames)
    assert loaded.is_valid()


def test_sharded_s3_dataset_refuses_a_local_path(tmp_path) -> None:
    with pytest.raises(ValueError, match="ShardedS3Dataset needs an s3:// path"):
        ShardedS3Dataset(str(tmp_path))


def test_load_pandas_reads_s3_shards(s3_numbers) -> None:
    frame = ShardedS3Dataset(s3_numbers).load_pandas()

    assert frame.to_dict("list") == {"k": ["a", "b", "c"], "v": [1, 2, 3]}


def test_spark_reads_and_writes_s3_through_redun_on_a_local_master(
    spark_session, s3_numbers, s3_bucket
) -> None:
    dataset = ShardedS3Dataset(s3_numbers)

    rows = sorted((row["k"], row["v"]) for row in dataset.load_spark().collect())
    assert rows == [("a", 1), ("b", 2), ("c", 3)]

    output = ShardedDataset(f"s3://{s3_bucket}/out", format="csv")
    output.save_spark(dataset.load_spark(), partition_keys=["k"])

    assert output.filenames and all(
        name.startswith(f"s3://{s3_bucket}/out/k=") and name.endswith(".csv")
        for name in output.filenames
    )
    again = sorted((row["k"], int(row["v"])) for row in output.load_spark().collect())
    assert again == rows


def test_an_s3_shard_rewritten_in_place_changes_a_sharded_datasets_hash(s3_numbers) -> None:
    before = ShardedDataset(s3_numbers).hash
    upstream_before = ShardedS3Dataset(s3_numbers).hash

    put_parquet(f"{s3_numbers}/part-0.parquet", pandas.DataFrame({"k": ["z"], "v": [9]}))

    assert ShardedDataset(s3_numbers).hash != before
    # Upstream's recipe only sees names: same shards, same hash (documented upstream).
    assert ShardedS3Dataset(s3_numbers).hash == upstream_before
