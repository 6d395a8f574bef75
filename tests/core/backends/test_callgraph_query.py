"""CallGraphQuery and infer_id: querying a repository's records from a script."""

from __future__ import annotations

import pytest
from redun import File, Scheduler, task
from redun.backends.db import CallNode, Execution, Job, Task, Value
from redun.backends.db.query import CallGraphQuery, find_file, infer_id
from redun.tags import ANY_VALUE

redun_namespace = "query_test"


@task(tags=[("step", "calc")])
def inc(x: int) -> int:
    return x + 1


@task()
def divide(x: float, y: float) -> float:
    return x / y


@task()
def make_files(names: list) -> list:
    files = [File(name) for name in names]
    for file in files:
        file.write("data")
    return files


@pytest.fixture
def scheduler(tmp_path):
    scheduler = Scheduler(config={"backend": {"db_uri": f"sqlite:///{tmp_path}/redun.db"}})
    scheduler.load()
    yield scheduler
    scheduler.backend.close()


def test_counts_types_and_ids(scheduler: Scheduler) -> None:
    assert scheduler.run(inc(1), tags=[("project", "acme")]) == 2
    query = CallGraphQuery(scheduler.backend.session)

    assert list(query.count()) == [
        ("Execution", 1),
        ("Job", 1),
        ("CallNode", 1),
        ("Task", 1),
        ("Value", 3),  # the task, its argument and its result
    ]
    execution = query.filter_types(["Execution"]).one()
    assert isinstance(execution, Execution)
    assert isinstance(query.filter_types(["CallNode"]).one(), CallNode)
    assert ("Task", inc.hash) in set(query.select("type", "id"))
    assert query.like_id(inc.hash[:8]).filter_types(["Task"]).one().hash == inc.hash
    assert query.like_id("inc").filter_types(["Task"]).one().hash == inc.hash
    assert set(query.filter_ids([execution.id, inc.hash]).select("type", "id")) == {
        ("Execution", execution.id),
        ("Task", inc.hash),
        ("Value", inc.hash),
    }
    assert dict(query.filter_value_types(["builtins.int"]).count()) == {"Value": 2}
    assert list(query.empty().all()) == []
    assert len(list(query.page(0, 5))) == 5
    assert len(list(query.page(1, 5))) == 2
    assert query.filter_types(["Job"]).first().execution_id == execution.id


def test_tags_and_execution_tags(scheduler: Scheduler) -> None:
    scheduler.run(inc(10), tags=[("project", "acme"), ("user", "alice")])
    scheduler.run(inc(100), tags=[("project", "skunk"), ("user", "bob")])
    session = scheduler.backend.session
    query = CallGraphQuery(session)

    assert dict(query.filter_tags([("step", "calc")]).count()) == {
        "Execution": 0,
        "Job": 2,  # jobs carry their task's tags
        "CallNode": 0,
        "Task": 1,
        "Value": 1,  # the task's own value
    }
    acme = query.filter_types(["Execution"]).filter_tags([("project", "acme")]).one()
    assert len(list(query.filter_tags([("project", ANY_VALUE)]).all())) == 2
    assert list(query.filter_tags([("project", "acme"), ("user", "bob")]).all()) == []

    values = query.filter_types(["Value"]).filter_execution_tags([("project", "acme")]).all()
    assert {value.value_parsed for value in values} == {10, 11}
    jobs = query.filter_types(["Job"]).filter_execution_tags([("user", "bob")]).all()
    assert [job.execution_id for job in jobs] != [acme.id]


def test_statuses_and_order(scheduler: Scheduler) -> None:
    scheduler.run(divide(4, 2))
    scheduler.run(divide(4, 2))
    scheduler.run(divide(8, 2))
    with pytest.raises(ZeroDivisionError):
        scheduler.run(divide(1, 0))
    query = CallGraphQuery(scheduler.backend.session)

    def jobs(status: str) -> int:
        return len(list(query.filter_job_statuses([status]).all()))

    assert (jobs("DONE"), jobs("CACHED"), jobs("FAILED"), jobs("RUNNING")) == (2, 1, 1, 0)
    # A cached execution is DONE.
    assert len(list(query.filter_execution_statuses(["DONE"]).all())) == 3
    [failed] = query.filter_execution_statuses(["FAILED"]).all()
    newest = list(query.filter_types(["Execution"]).order_by("time").all())
    assert newest[0] == failed
    assert infer_id(scheduler.backend.session, "-") == failed
    assert infer_id(scheduler.backend.session, "~4") == newest[3]
    with pytest.raises(ValueError):
        infer_id(scheduler.backend.session, "~9")


def test_values_of_an_execution_include_nested(scheduler: Scheduler, tmp_path) -> None:
    names = [str(tmp_path / "a"), str(tmp_path / "b")]
    scheduler.run(make_files(names))
    session = scheduler.backend.session
    query = CallGraphQuery(session)
    execution = query.filter_types(["Execution"]).one()

    values = query.filter_types(["Value"]).filter_execution_ids([execution.id]).all()
    paths = {value.value_parsed.path for value in values if value.type == "redun.File"}
    assert paths == set(names)
    assert query.filter_types(["Task"]).filter_execution_ids([execution.id]).one().name == (
        "make_files"
    )
    files = query.filter_file_paths([str(tmp_path / "*")]).all()
    assert {value.file.path for value in files} == set(names)


def test_infer_id_of_a_file(scheduler: Scheduler, tmp_path) -> None:
    path = str(tmp_path / "a")
    scheduler.run(make_files([path]))
    session = scheduler.backend.session

    file, job, kind = infer_id(session, path)
    assert (file.path, kind) == (path, "result")
    assert isinstance(job, Job) and isinstance(job.task, Task)
    assert find_file(session, str(tmp_path / "missing")) is None
    found = infer_id(session, make_files.hash[:10], include_files=False)
    assert isinstance(found, (Task, Value)) and found.hash == make_files.hash
