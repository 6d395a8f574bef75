"""Records by id: get_records/put_records/iter_record_ids, RecordSerializer, and the tag
methods a script uses to copy part of a repository or edit tags."""

from __future__ import annotations

from datetime import datetime

from redun import Scheduler, apply_tags, task
from redun.backends.base import TagEntity
from redun.backends.db import CallEdge, CallNode, Execution, Job, RedunBackendDb, Tag, TagEdit
from redun.backends.db.serializers import RecordSerializer

redun_namespace = "record_api_test"


@task()
def leaf(x: int) -> int:
    return x + 1


@task(tags=[("env", "prod")])
def root(n: int) -> list:
    return apply_tags([leaf(i) for i in range(n)], [("user", "alice"), ("release", "final")])


def _scheduler(path) -> Scheduler:
    scheduler = Scheduler(config={"backend": {"db_uri": f"sqlite:///{path}"}})
    scheduler.load()
    return scheduler


def _execution_id(backend: RedunBackendDb) -> str:
    return backend.session.query(Execution).one().id


def test_copy_an_execution_with_its_tag_edits(tmp_path) -> None:
    src = _scheduler(tmp_path / "src.db")
    src.run(root(3), tags=[("project", "acme")])
    backend = src.backend
    exec_id = _execution_id(backend)
    backend.update_tags(TagEntity.Execution, exec_id, ["project"], [("project", "skunk")])
    result_hash = backend.session.query(Job).filter(Job.parent_id.is_(None)).one()
    value_hash = result_hash.call_node.value_hash
    backend.delete_tags(value_hash, [("release", "final")])

    ids = list(backend.iter_record_ids([exec_id]))
    assert ids[0] == exec_id
    records = list(backend.get_records(ids))
    assert [backend_id(r) for r in records] == ids
    kinds = {record["_type"] for record in records}
    assert kinds == {"Execution", "Job", "CallNode", "Value", "Tag"}

    dest = _scheduler(tmp_path / "dest.db")
    assert dest.backend.put_records(reversed(records)) == len(ids)
    assert dest.backend.put_records(records) == 0  # idempotent
    copied = list(dest.backend.get_records(dest.backend.iter_record_ids([exec_id])))
    assert sorted(map(str, copied)) == sorted(map(str, records))
    assert dest.backend.get_tags([exec_id])[exec_id]["project"] == ["skunk"]
    assert dest.backend.get_tags([value_hash])[value_hash] == {"user": ["alice"]}
    assert dest.backend.has_records([exec_id, "nope"]) == [exec_id]
    # The copy is a cache: the same call is not recomputed.
    assert dest.run(root(3)) == [1, 2, 3]
    assert dest.backend.session.query(Job).filter(Job.cached.is_(True)).count() >= 1


def backend_id(record: dict) -> str:
    return RecordSerializer().get_pk(record)


def test_child_record_edges(tmp_path) -> None:
    scheduler = _scheduler(tmp_path / "r.db")
    scheduler.run(root(2))
    backend = scheduler.backend
    root_job = backend.session.query(Job).filter(Job.parent_id.is_(None)).one()

    edges = list(backend.get_child_record_ids([(Job, root_job.id)]))
    names = [name for name, _, _ in edges]
    assert names[:2] == ["Job.task", "Job.call_hash"]
    assert names.count("Job.child_job") == 2
    assert ("Entity.tag", Tag) in {(name, model) for name, model, _ in edges}

    node_edges = list(backend.get_child_record_ids([(CallNode, root_job.call_hash)]))
    by_name: dict = {}
    for name, _, id_ in node_edges:
        by_name.setdefault(name, []).append(id_)
    assert by_name["CallNode.result"] == [root_job.call_node.value_hash]
    assert len(by_name["CallNode.child_call_node"]) == 2
    assert by_name["CallNode.task"] == [root.hash]


def test_records_from_an_upstream_repository(upstream_db, tmp_path) -> None:
    upstream = RedunBackendDb(f"sqlite:///{upstream_db}")
    upstream.load()
    exec_ids = [e.id for e in upstream.session.query(Execution).all()]
    records = list(upstream.get_records(upstream.iter_record_ids(exec_ids)))
    assert records

    ours = _scheduler(tmp_path / "ours.db").backend
    assert ours.put_records(records) == len(records)
    assert ours.session.query(Execution).count() == len(exec_ids)
    upstream.close()


def test_serializer_round_trip() -> None:
    serializer = RecordSerializer()
    node = CallNode(
        call_hash="c1",
        task_name="ns.t",
        task_hash="t1",
        args_hash="a1",
        value_hash="v1",
        timestamp=datetime(2021, 5, 6, 7, 8, 9),
    )
    record = serializer.serialize(node)
    assert record["timestamp"] == "2021-05-06 07:08:09"
    assert (record["_version"], record["_type"], record["children"]) == (1, "CallNode", [])

    spec = dict(record, children=["c2", "c3"])
    node2, *edges = serializer.deserialize(spec)
    assert isinstance(node2, CallNode) and node2.timestamp == node.timestamp
    assert [(e.child_id, e.call_order) for e in edges if isinstance(e, CallEdge)] == [
        ("c2", 0),
        ("c3", 1),
    ]

    tag = {
        "_version": 1,
        "_type": "Tag",
        "tag_hash": "h2",
        "entity_type": "Value",
        "entity_id": "v1",
        "key": "env",
        "value": ["prod"],
        "parents": ["h1"],
    }
    tag_row, edit = serializer.deserialize(tag)
    assert isinstance(tag_row, Tag) and tag_row.entity_type == TagEntity.Value
    assert isinstance(edit, TagEdit) and edit.parent_id == "h1"
    assert serializer.get_pk(tag) == "h2"
