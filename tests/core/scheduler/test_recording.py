"""What a run records (redun/scheduler/recording.py), read back from the SQLite file as
``redun log`` and upstream redun read it: the execution, its job tree, the call graph
with arguments and their upstream calls, values with their subvalues, and tags."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from redun import File, Scheduler, task

redun_namespace = "test_recording"


@task()
def make_file(path: str, text: str) -> File:
    file = File(path)
    file.write(text)
    return file


@task()
def inc(x: int) -> int:
    return x + 1


@task()
def total(values: list) -> int:
    return sum(values)


@task(tags=[("team", "core")])
def main(n: int, directory: str) -> list:
    return [total([inc(i) for i in range(n)]), make_file(f"{directory}/out.txt", "hi")]


@pytest.fixture
def recorded(tmp_path: Path) -> sqlite3.Connection:
    """The database of one finished run of ``main(3)``."""
    db = tmp_path / "redun.db"
    scheduler = Scheduler(config={"backend": {"db_uri": f"sqlite:///{db}"}})
    result = scheduler.run(main(3, str(tmp_path)), tags=[("env", "test")])
    assert result[0] == 6
    scheduler.backend.close()
    conn = sqlite3.connect(db)
    yield conn
    conn.close()


def one(conn: sqlite3.Connection, sql: str, *params) -> tuple:
    return conn.execute(sql, params).fetchone()


def test_the_execution_and_its_job_tree(recorded) -> None:
    (execution_id, root_job) = one(recorded, "SELECT id, job_id FROM execution")
    jobs = recorded.execute(
        "SELECT task.name, job.parent_id IS NULL, job.end_time IS NOT NULL, job.cached "
        "FROM job JOIN task ON task.hash = job.task_hash ORDER BY task.name"
    ).fetchall()
    assert sorted(jobs) == sorted(
        [("main", 1, 1, 0), ("total", 0, 1, 0), ("make_file", 0, 1, 0)] + [("inc", 0, 1, 0)] * 3
    )
    assert one(recorded, "SELECT count(*) FROM job WHERE execution_id != ?", execution_id) == (0,)
    children = one(recorded, "SELECT count(*) FROM job WHERE parent_id = ?", root_job)
    assert children == (5,)


def test_the_call_graph_links_calls_and_their_arguments(recorded) -> None:
    (main_call,) = one(
        recorded,
        "SELECT call_hash FROM call_node WHERE task_name = 'test_recording.main'",
    )
    child_tasks = recorded.execute(
        "SELECT c.task_name FROM call_edge e JOIN call_node c ON c.call_hash = e.child_id "
        "WHERE e.parent_id = ? ORDER BY e.call_order",
        (main_call,),
    ).fetchall()
    assert sorted(name for (name,) in child_tasks) == [
        "test_recording.inc",
        "test_recording.inc",
        "test_recording.inc",
        "test_recording.make_file",
        "test_recording.total",
    ]
    # total's one argument came from the three inc calls.
    (upstreams,) = one(
        recorded,
        "SELECT count(*) FROM argument a JOIN argument_result r ON r.arg_hash = a.arg_hash "
        "JOIN call_node c ON c.call_hash = a.call_hash WHERE c.task_name = 'test_recording.total'",
    )
    assert upstreams == 3
    assert one(recorded, "SELECT count(*) FROM evaluation") == (6,)


def test_values_files_and_subvalues(recorded, tmp_path: Path) -> None:
    (path,) = one(recorded, "SELECT path FROM file")
    assert path == f"{tmp_path}/out.txt"
    # main's result, a list, records the File inside it as a subvalue.
    (main_value,) = one(
        recorded, "SELECT value_hash FROM call_node WHERE task_name = 'test_recording.main'"
    )
    (file_value,) = one(recorded, "SELECT value_hash FROM file")
    subvalues = recorded.execute(
        "SELECT value_hash FROM subvalue WHERE parent_value_hash = ?", (main_value,)
    ).fetchall()
    assert (file_value,) in subvalues
    assert one(recorded, "SELECT type FROM value WHERE value_hash = ?", file_value) == (
        "redun.File",
    )


def test_tags_of_the_execution_and_the_task(recorded) -> None:
    tags = recorded.execute(
        "SELECT entity_type, key, value FROM tag WHERE key IN ('env', 'team') AND is_current"
    ).fetchall()
    assert ("Execution", "env", '"test"') in tags
    assert ("Task", "team", '"core"') in tags


@task()
def read_dirs(dirs: list) -> int:
    return sum(len(list(d)) for d in dirs)


def test_a_dir_inside_an_argument_records_its_files_as_subvalues_of_the_argument(
    tmp_path: Path, monkeypatch
) -> None:
    """As upstream: `redun log` of the list argument lists each Dir and each file."""
    from redun import Dir

    monkeypatch.chdir(tmp_path)
    for path in ("d1/a", "d2/b", "d2/c"):
        File(path).write(path)
    db = tmp_path / "redun.db"
    scheduler = Scheduler(config={"backend": {"db_uri": f"sqlite:///{db}"}})
    assert scheduler.run(read_dirs([Dir("d1"), Dir("d2")])) == 3
    scheduler.backend.close()

    with sqlite3.connect(db) as conn:
        (arg_value,) = one(conn, "SELECT value_hash FROM argument")
        kinds = conn.execute(
            "SELECT value.type, file.path FROM subvalue "
            "JOIN value ON value.value_hash = subvalue.value_hash "
            "LEFT JOIN file ON file.value_hash = subvalue.value_hash "
            "WHERE subvalue.parent_value_hash = ?",
            (arg_value,),
        ).fetchall()
    assert sorted(kinds, key=str) == sorted(
        [("redun.Dir", None), ("redun.Dir", None)]
        + [("redun.File", path) for path in ("d1/a", "d2/b", "d2/c")],
        key=str,
    )


def test_an_unpicklable_error_is_recorded_as_a_plain_exception(make_scheduler, db_path):
    import sqlite3

    from redun.scheduler.errors import ErrorValue
    from redun.value import get_type_registry

    @task()
    def fails():
        raise ValueError(lambda: "cannot pickle a lambda")

    with pytest.raises(ValueError):
        make_scheduler().run(fails())
    with sqlite3.connect(db_path) as conn:
        ((type_name, data),) = conn.execute(
            "SELECT type, value FROM value WHERE type = 'redun.ErrorValue'"
        ).fetchall()
    recorded = get_type_registry().deserialize(type_name, data)
    assert isinstance(recorded, ErrorValue)
    assert type(recorded.error) is Exception
    assert "ValueError" in str(recorded.error)


def test_a_frame_takes_upstreams_arguments_and_round_trips():
    from redun.scheduler import Frame, Traceback
    from redun.value import get_type_registry

    frame = Frame("workflow.py", 3, "main", {"x": 10}, job="the job")
    assert (frame.locals, frame.job, frame.line) == ({"x": "10"}, "the job", "")
    registry = get_type_registry()
    data = registry.serialize(Traceback(ValueError("boom"), [frame], ["log line"]))
    again = registry.deserialize("redun.Traceback", data)
    assert registry.serialize(again) == data
    assert again.frames[0].locals == {"x": "10"}
