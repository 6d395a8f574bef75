"""A workflow mixing thread tasks and Spark tasks over sharded datasets: it caches, and
when one shard changes only the tasks downstream of it run again."""

from __future__ import annotations

import sqlite3

import pandas
import redun.glue as glue
from redun import task
from redun_spark import ShardedDataset

redun_namespace = "spark_tests.workflow"


@task()
def write_input(directory: str, rows: int) -> ShardedDataset:
    """A thread task: writes two parquet shards with pandas."""
    import os

    os.makedirs(directory, exist_ok=True)
    for shard in range(2):
        frame = pandas.DataFrame({"key": [f"k{i % 3}" for i in range(rows)], "v": range(rows)})
        frame.to_parquet(f"{directory}/part-{shard}.parquet", index=False)
    return ShardedDataset(directory)


@task(executor="spark")
def summarize(dataset: ShardedDataset, out_dir: str) -> ShardedDataset:
    """A Spark task: totals per key, written as new shards."""
    frame = dataset.load_spark().groupBy("key").sum("v").withColumnRenamed("sum(v)", "total")
    output = ShardedDataset(out_dir)
    output.save_spark(frame, mode="overwrite")
    assert glue.get_spark_session() is frame.sparkSession
    return output


@task()
def report(summary: ShardedDataset) -> dict:
    """A thread task reading the Spark task's output with pandas."""
    frame = summary.load_pandas().sort_values("key")
    return dict(zip(frame["key"], frame["total"].astype(int)))


@task()
def pipeline(inputs: list, out_root: str) -> list:
    return [
        report(summarize(ShardedDataset(path), f"{out_root}/summary-{i}"))
        for i, path in enumerate(inputs)
    ]


def ran(db_path, scheduler) -> list[str]:
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute(
            "SELECT task.name FROM job JOIN task ON task.hash = job.task_hash "
            "WHERE job.cached = 0 AND job.execution_id = ?",
            (scheduler.execution.id,),
        ).fetchall()
    return sorted(name for (name,) in rows)


def test_only_what_depends_on_a_changed_shard_runs_again(
    spark_session, make_scheduler, tmp_path
) -> None:
    inputs = []
    for i, rows in enumerate([4, 5]):
        path = tmp_path / f"input-{i}"
        path.mkdir()
        for shard in range(2):
            pandas.DataFrame({"key": ["a", "b"] * rows, "v": range(2 * rows)}).to_parquet(
                path / f"part-{shard}.parquet", index=False
            )
        inputs.append(str(path))
    out_root = str(tmp_path / "out")
    db_path = tmp_path / "redun.db"

    first = make_scheduler()
    assert first.run(pipeline(inputs, out_root)) == [
        {"a": 24, "b": 32},
        {"a": 40, "b": 50},
    ]
    assert ran(db_path, first) == ["pipeline", "report", "report", "summarize", "summarize"]

    second = make_scheduler()
    assert second.run(pipeline(inputs, out_root)) == [{"a": 24, "b": 32}, {"a": 40, "b": 50}]
    assert ran(db_path, second) == []

    # One shard of the second input changes.
    pandas.DataFrame({"key": ["a"], "v": [100]}).to_parquet(
        tmp_path / "input-1" / "part-1.parquet", index=False
    )
    third = make_scheduler()
    assert third.run(pipeline(inputs, out_root)) == [{"a": 24, "b": 32}, {"a": 120, "b": 25}]
    # The parent re-evaluates (its call tree holds a dataset that is no longer valid, as
    # upstream's full validity check decides); of the leaves, only input-1's run again.
    assert ran(db_path, third) == ["pipeline", "report", "summarize"]


def test_a_thread_task_can_produce_the_dataset_a_spark_task_reads(
    spark_session, make_scheduler, tmp_path
) -> None:
    @task(name="chain", namespace=redun_namespace)
    def chain(directory: str) -> dict:
        return report(summarize(write_input(directory, 6), f"{directory}-summary"))

    assert make_scheduler().run(chain(str(tmp_path / "made"))) == {"k0": 6, "k1": 10, "k2": 14}
