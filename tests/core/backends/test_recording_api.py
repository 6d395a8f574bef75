"""Upstream's synchronous recording API, as user code and plugin authors call it on
``scheduler.backend``: values, call nodes, handles, tags, schema versions, clones."""

from __future__ import annotations

import pytest
from redun import File, Handle, task
from redun.backends.base import TagEntity
from redun.backends.db import (
    CallNode,
    DBVersionInfo,
    RedunBackendDb,
    RedunDatabaseError,
    RedunVersionError,
    parse_db_version,
)
from redun.backends.db import Handle as HandleModel
from redun.backends.db import Value as ValueModel


@task(namespace="record_api")
def leaf(x: int) -> int:
    return x


@task(namespace="record_api")
def parent(x: int) -> int:
    return x


def test_a_recorded_value_reads_back_and_recording_again_is_harmless(backend) -> None:
    value_hash = backend.record_value({"a": [1, 2]})

    assert backend.get_value(value_hash) == ({"a": [1, 2]}, True)
    assert backend.record_value({"a": [1, 2]}) == value_hash
    assert backend.get_value("0" * 40) == (None, False)


def test_a_value_above_max_value_size_is_refused(db_path) -> None:
    backend = RedunBackendDb(f"sqlite:///{db_path}", config={"max_value_size": "100"})
    backend.load()
    with pytest.raises(RedunDatabaseError, match="too large"):
        backend.record_value("x" * 1000)
    backend.close()


def test_record_value_records_the_files_inside_a_value(backend, tmp_path) -> None:
    file = File(str(tmp_path / "a.txt"))
    file.write("hello")
    value_hash = backend.record_value([file])

    row = backend.session.get(ValueModel, value_hash)
    assert [child.value_parsed.path for child in row.children] == [file.path]


def test_recorded_call_nodes_form_a_graph_with_their_arguments(backend) -> None:
    child_results = [backend.record_value(1), backend.record_value(2)]
    children = [
        backend.record_call_node(
            task_name=leaf.fullname,
            task_hash=leaf.hash,
            args_hash=f"args{i}",
            expr_args=((i,), {}),
            eval_args=((i,), {}),
            result_hash=result,
            child_call_hashes=[],
            subtree_tasks=[leaf],
        )
        for i, result in zip((1, 2), child_results, strict=True)
    ]
    root = backend.record_call_node(
        task_name=parent.fullname,
        task_hash=parent.hash,
        args_hash="args_root",
        expr_args=((), {"x": 3}),
        eval_args=((), {"x": 3}),
        result_hash=backend.record_value(3),
        child_call_hashes=children,
        subtree_tasks=[parent, leaf],
    )

    node = backend.session.query(CallNode).filter_by(call_hash=root).one()
    assert [child.call_hash for child in node.children] == children
    assert node.children[0].parents[0].call_hash == root
    assert [(arg.arg_key, arg.value_parsed) for arg in node.arguments] == [("x", 3)]
    assert node.task.fullname == parent.fullname


def test_advanced_handles_are_valid_until_rolled_back(backend) -> None:
    conn = Handle("conn")
    conn2, conn3 = conn.apply_call("call2"), conn.apply_call("call3")
    conn4 = conn3.apply_call("call4")
    assert not backend.is_valid_handle(conn)

    backend.advance_handle([conn], conn2)
    backend.advance_handle([conn], conn3)
    backend.advance_handle([conn3], conn4)

    assert backend.session.query(HandleModel).count() == 4
    assert all(backend.is_valid_handle(h) for h in (conn, conn2, conn3, conn4))
    backend.rollback_handle(conn)
    assert backend.is_valid_handle(conn)
    assert not any(backend.is_valid_handle(h) for h in (conn2, conn3, conn4))


def test_tags_are_recorded_edited_merged_and_deleted(backend) -> None:
    entity = backend.record_value(10)
    [(dev_hash, entity_id, key, value)] = backend.record_tags(
        TagEntity.Value, entity, [("env", "dev")]
    )
    assert (entity_id, key, value) == (entity, "env", "dev")
    backend.record_tags(TagEntity.Value, entity, [("env", "prod")])
    assert backend.get_tags([entity]) == {entity: {"env": ["dev", "prod"]}}

    backend.record_tags(TagEntity.Value, entity, [("env", "prod2"), ("user", "ann")], update=True)
    assert backend.get_tags([entity]) == {entity: {"env": ["prod2"], "user": ["ann"]}}

    backend.update_tags(TagEntity.Value, entity, ["env"], [("environ", "production")])
    assert backend.get_tags([entity]) == {entity: {"environ": ["production"], "user": ["ann"]}}

    backend.delete_tags(entity, [("user", "ann")])
    assert backend.get_tags([entity]) == {entity: {"environ": ["production"]}}
    assert backend.get_tags(["unknown"]) == {}


def test_a_deleted_tag_comes_back_only_when_asked_for_as_new(backend) -> None:
    entity = backend.record_value(10)
    backend.record_tags(TagEntity.Value, entity, [("env", "dev"), ("env", "prod")])
    backend.delete_tags(entity, [("env", "dev")])

    backend.record_tags(TagEntity.Value, entity, [("env", "dev")])
    assert backend.get_tags([entity]) == {entity: {"env": ["prod"]}}
    backend.record_tags(TagEntity.Value, entity, [("env", "dev")], new=True)
    assert backend.get_tags([entity]) == {entity: {"env": ["dev", "prod"]}}


def test_versions_compare_by_number_and_bound_what_this_code_accepts(backend) -> None:
    versions = backend.get_all_db_versions()
    oldest_ok, newest_ok = backend.get_db_version_required()
    assert versions[-1] == backend.get_db_version() and backend.is_db_compatible()
    assert parse_db_version("3.4") < oldest_ok <= versions[-1] <= newest_ok
    assert DBVersionInfo("other-id", 3, 5, "") == versions[-1]
    assert sorted(reversed(versions)) == versions


def test_an_old_schema_is_refused_or_upgraded_by_the_next_load(backend) -> None:
    backend.migrate(parse_db_version("3.4"))
    assert not backend.is_db_compatible()

    with pytest.raises(RedunVersionError):
        backend.load(migrate=False)
    backend.load()

    assert backend.get_db_version() == backend.get_all_db_versions()[-1]
    assert not backend.migrate(parse_db_version("1.0"), upgrade_only=True)


def test_a_clone_shares_the_engine_but_not_the_session(db_path) -> None:
    backend = RedunBackendDb(f"sqlite:///{db_path}")
    with pytest.raises(RedunDatabaseError, match="after.*load"):
        backend.clone()
    backend.load()
    clone = backend.clone()

    assert clone.engine is backend.engine
    assert clone.session is not backend.session
    value_hash = clone.record_value("from the clone")
    clone.close()
    assert backend.get_value(value_hash) == ("from the clone", True)
    backend.close()


def test_an_open_session_on_a_memory_database_does_not_block_recording() -> None:
    backend = RedunBackendDb("sqlite:///:memory:")
    backend.load()
    assert backend.session.query(CallNode).count() == 0  # the session is in a transaction

    value_hash = backend.record_value("x")
    backend.advance_handle([Handle("conn")], Handle("conn").apply_call("c"))

    assert backend.get_value(value_hash) == ("x", True)
    assert backend.session.query(HandleModel).count() == 2
    backend.close()
