"""Querying provenance from Python: the ORM session and relationships upstream documents."""

from __future__ import annotations

import pytest
from redun import File, task
from redun.backends.db import (
    CallNode,
    Execution,
    Job,
    RedunSession,
    Tag,
    Task,
    Value,
)
from redun.backends.db import (
    File as FileModel,
)

redun_namespace = "orm_test"


@task()
def add(a: int, b: int) -> int:
    return a + b


@task()
def boom(x: int) -> int:
    raise ValueError(f"boom {x}")


@task()
def write(path: str, text: str) -> File:
    out = File(path)
    out.write(text)
    return out


@task()
def main(x: int) -> int:
    return add(x, add(2, 3))


@pytest.fixture
def ran(make_scheduler):
    scheduler = make_scheduler()
    assert scheduler.run(main(4), tags=[("step", "orm")]) == 9
    return scheduler


def test_session_is_a_redun_session_on_the_repository(ran):
    session = ran.backend.session
    assert isinstance(session, RedunSession)
    assert session.backend is ran.backend
    assert session.query(Job).count() == 3


def test_execution_job_call_node_and_task(ran):
    session = ran.backend.session
    execution = session.query(Execution).one()
    assert execution.status == "DONE"
    root = execution.job
    assert root.status == "DONE" and root.duration is not None
    assert root.task.fullname == "orm_test.main"
    assert execution.task.fullname == "orm_test.main"
    assert root.call_node.value_parsed == 9
    assert sorted(j.task.name for j in root.child_jobs) == ["add", "add"]
    assert all(child.parent_job.id == root.id for child in root.child_jobs)
    assert {job.id for job in execution.jobs} == {job.id for job in session.query(Job)}
    assert root.execution.id == execution.id


def test_call_graph_arguments_and_dataflow(ran):
    session = ran.backend.session
    root = session.query(Execution).one().job.call_node
    assert [arg.value_parsed for arg in root.arguments] == [4]
    children = root.children
    assert sorted(child.value_parsed for child in children) == [5, 9]
    assert all(child.parents[0].call_hash == root.call_hash for child in children)
    outer = next(child for child in children if child.value_parsed == 9)
    inner = next(child for child in children if child.value_parsed == 5)
    # add(x, add(2, 3)): the second argument of the outer call came from the inner call.
    upstream = [node.call_hash for arg in outer.arguments for node in arg.upstream]
    assert upstream == [inner.call_hash]
    assert [arg.call_node.call_hash for arg in inner.downstream] == [outer.call_hash]
    result = session.query(Value).filter(Value.value_hash == outer.value_hash).one()
    # 9 is both the outer add's result and main's.
    assert {node.call_hash for node in result.results} == {outer.call_hash, root.call_hash}
    assert session.query(CallNode).filter(CallNode.task_name == "orm_test.add").count() == 2


def test_tags_lead_to_their_entities(ran):
    session = ran.backend.session
    execution = session.query(Execution).one()
    tags = session.query(Tag).filter(Tag.entity_id == execution.id).all()
    assert tags and all(tag.entity.id == execution.id for tag in tags)
    assert {tag.key for tag in execution.tags} == {tag.key for tag in tags}


def test_failed_job_status_and_task_jobs(make_scheduler):
    scheduler = make_scheduler()
    with pytest.raises(ValueError):
        scheduler.run(boom(1))
    session = scheduler.backend.session
    job = session.query(Job).one()
    assert job.status == "FAILED"
    assert session.query(Execution).one().status == "FAILED"
    task_row = session.query(Task).filter(Task.name == "boom").one()
    assert [j.id for j in task_row.jobs] == [job.id]


def test_file_values(make_scheduler, tmp_path):
    scheduler = make_scheduler()
    path = str(tmp_path / "out.txt")
    scheduler.run(write(path, "hi"))
    session = scheduler.backend.session
    row = session.query(FileModel).filter(FileModel.path == path).one()
    assert row.value.value_parsed.path == path
    assert row.values[0].value_hash == row.value_hash


def test_querying_between_runs_on_an_in_memory_repository():
    from redun import Scheduler

    scheduler = Scheduler()  # sqlite in memory: one connection shared with the writer
    assert scheduler.run(main(1)) == 6
    session = scheduler.backend.session
    first = session.query(Execution).one()
    assert scheduler.run(main(2)) == 7
    assert scheduler.backend.session.query(Execution).count() == 2
    assert first.job.call_node.value_parsed == 6
