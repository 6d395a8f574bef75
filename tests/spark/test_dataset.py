"""ShardedDataset on local paths: Spark and pandas I/O, and a hash that follows shards."""

from __future__ import annotations

import pickle

import pandas
import pytest
from redun import task
from redun_spark import ShardedDataset
from redun_spark.errors import DatasetError

redun_namespace = "spark_tests.dataset"


def write_shards(directory, frames: dict[str, pandas.DataFrame]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        frame.to_parquet(directory / name, index=False)


@pytest.fixture
def numbers(tmp_path):
    path = tmp_path / "numbers"
    write_shards(
        path,
        {
            "part-0.parquet": pandas.DataFrame({"k": ["a", "b"], "v": [1, 2]}),
            "part-1.parquet": pandas.DataFrame({"k": ["a"], "v": [10]}),
        },
    )
    return path


def test_filenames_are_the_sorted_shards_of_the_format(numbers) -> None:
    (numbers / "_SUCCESS").write_text("")
    (numbers / "notes.csv").write_text("x\n1\n")

    dataset = ShardedDataset(str(numbers))

    assert dataset.filenames == [str(numbers / "part-0.parquet"), str(numbers / "part-1.parquet")]
    assert ShardedDataset(str(numbers), format="csv").filenames == [str(numbers / "notes.csv")]


def test_load_spark_reads_every_shard(spark_session, numbers) -> None:
    frame = ShardedDataset(str(numbers)).load_spark()

    assert sorted(tuple(row) for row in frame.collect()) == [("a", 1), ("a", 10), ("b", 2)]


def test_load_pandas_reads_shards_in_order(numbers) -> None:
    dataset = ShardedDataset(str(numbers))

    assert dataset.load_pandas().to_dict("list") == {"k": ["a", "b", "a"], "v": [1, 2, 10]}
    assert [len(shard) for shard in dataset.load_pandas_shards()] == [2, 1]
    assert dataset.load_pandas(max_shards=1).to_dict("list") == {"k": ["a", "b"], "v": [1, 2]}


@pytest.mark.parametrize("format", ["parquet", "csv", "json"])
def test_save_spark_from_pandas_then_load_back(spark_session, tmp_path, format: str) -> None:
    dataset = ShardedDataset(str(tmp_path / "out"), format=format)
    before = dataset.hash

    dataset.save_spark(pandas.DataFrame({"name": ["x", "y", "z"], "n": [1, 2, 3]}))

    assert dataset.filenames and all(name.endswith(f".{format}") for name in dataset.filenames)
    assert dataset.hash != before
    rows = sorted((row["name"], int(row["n"])) for row in dataset.load_spark().collect())
    assert rows == [("x", 1), ("y", 2), ("z", 3)]
    loaded = dataset.load_pandas().sort_values("name")
    assert loaded["n"].tolist() == [1, 2, 3]


def test_save_spark_with_partitions_keeps_the_partition_column(spark_session, tmp_path) -> None:
    dataset = ShardedDataset(str(tmp_path / "parts"))
    frame = spark_session.createDataFrame([("a", 1), ("b", 2), ("a", 3)], ["key", "value"])

    dataset.save_spark(frame, partition_keys=["key"])

    assert {name.split("/")[-2] for name in dataset.filenames} == {"key=a", "key=b"}
    rows = sorted((row["key"], row["value"]) for row in dataset.load_spark().collect())
    assert rows == [("a", 1), ("a", 3), ("b", 2)]
    assert not ShardedDataset(str(tmp_path / "parts"), recurse=False).filenames


def test_save_spark_appends_shards_unless_asked_to_overwrite(spark_session, tmp_path) -> None:
    dataset = ShardedDataset(str(tmp_path / "grow"))
    dataset.save_spark(pandas.DataFrame({"n": [1]}))
    dataset.save_spark(pandas.DataFrame({"n": [2]}))
    assert sorted(dataset.load_pandas()["n"]) == [1, 2]

    dataset.save_spark(pandas.DataFrame({"n": [3]}), mode="overwrite")
    assert sorted(dataset.load_pandas()["n"]) == [3]


def test_the_hash_follows_the_shards(numbers) -> None:
    first = ShardedDataset(str(numbers)).hash
    assert ShardedDataset(str(numbers)).hash == first, "same shards, same hash"

    write_shards(numbers, {"part-2.parquet": pandas.DataFrame({"k": ["c"], "v": [5]})})
    added = ShardedDataset(str(numbers)).hash
    assert added != first

    write_shards(numbers, {"part-2.parquet": pandas.DataFrame({"k": ["c", "d"], "v": [5, 6]})})
    rewritten = ShardedDataset(str(numbers)).hash
    assert rewritten not in (first, added), "a shard rewritten in place changes the hash"

    (numbers / "part-2.parquet").unlink()
    assert ShardedDataset(str(numbers)).hash == first


def test_is_valid_notices_changed_shards(numbers) -> None:
    dataset = pickle.loads(pickle.dumps(ShardedDataset(str(numbers))))
    assert dataset.is_valid()

    (numbers / "part-1.parquet").unlink()

    assert not dataset.is_valid()


def test_a_path_without_shards_is_a_one_line_error(spark_session, tmp_path) -> None:
    dataset = ShardedDataset(str(tmp_path / "empty"), format="csv")

    with pytest.raises(DatasetError) as error:
        dataset.load_spark()
    assert str(error.value) == (
        f"cannot load_spark: no csv shards recursively under {tmp_path / 'empty'} "
        "(looked for *.csv); check the path and format="
    )
    with pytest.raises(DatasetError, match="cannot load_pandas: no csv shards"):
        dataset.load_pandas()


def test_an_unknown_format_is_refused(tmp_path) -> None:
    with pytest.raises(ValueError, match="invalid dataset format 'xlsx': expected one of avro"):
        ShardedDataset(str(tmp_path), format="xlsx")


def test_save_spark_refuses_what_is_not_a_dataframe(spark_session, tmp_path) -> None:
    with pytest.raises(DatasetError, match="takes a pandas or Spark DataFrame, not list"):
        ShardedDataset(str(tmp_path / "x")).save_spark([1, 2])


def test_from_files_finds_the_common_directory(numbers) -> None:
    from redun import File

    files = [File(str(numbers / "part-0.parquet")), File(str(numbers / "part-1.parquet"))]

    dataset = ShardedDataset.from_files(files)

    assert (dataset.path, dataset.format) == (str(numbers), "parquet")
    with pytest.raises(ValueError, match="also holds 1 other parquet shard"):
        ShardedDataset.from_files(files[:1] + [])
    assert ShardedDataset.from_files(files[:1], allow_additional_files=True).path == str(numbers)


@task()
def count_rows(dataset: ShardedDataset) -> int:
    return len(dataset.load_pandas())


def test_a_dataset_argument_caches_until_its_shards_change(numbers, make_scheduler) -> None:
    assert make_scheduler().run(count_rows(ShardedDataset(str(numbers)))) == 3
    assert make_scheduler().run(count_rows(ShardedDataset(str(numbers)))) == 3

    write_shards(numbers, {"part-1.parquet": pandas.DataFrame({"k": ["a", "z"], "v": [1, 2]})})

    assert make_scheduler().run(count_rows(ShardedDataset(str(numbers)))) == 4
