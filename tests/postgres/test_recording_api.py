"""Upstream's synchronous backend API on PostgreSQL: the same calls as on SQLite
(tests/core/backends/test_record_api.py), through the server's transactions."""

from __future__ import annotations

from redun import Handle
from redun.backends.base import TagEntity


def test_values_tags_and_handles_round_trip(pg_backend) -> None:
    value_hash = pg_backend.record_value({"a": 1})
    assert pg_backend.get_value(value_hash) == ({"a": 1}, True)
    assert pg_backend.get_value("0" * 40) == (None, False)

    pg_backend.record_tags(TagEntity.Value, value_hash, [("env", "dev"), ("env", "prod")])
    pg_backend.record_tags(TagEntity.Value, value_hash, [("env", "qa")], update=True)
    assert pg_backend.get_tags([value_hash]) == {value_hash: {"env": ["qa"]}}
    pg_backend.delete_tags(value_hash, [("env", "qa")])
    assert pg_backend.get_tags([value_hash]) == {}

    conn = Handle("conn")
    child = conn.apply_call("call")
    pg_backend.advance_handle([conn], child)
    assert pg_backend.is_valid_handle(child)
    pg_backend.rollback_handle(conn)
    assert pg_backend.is_valid_handle(conn) and not pg_backend.is_valid_handle(child)


def test_versions_and_clone(pg_backend) -> None:
    assert pg_backend.is_db_compatible()
    assert pg_backend.get_db_version() == pg_backend.get_all_db_versions()[-1]
    clone = pg_backend.clone()
    assert clone.engine is pg_backend.engine and clone.session is not pg_backend.session
    value_hash = clone.record_value("from the clone")
    clone.close()
    assert pg_backend.get_value(value_hash) == ("from the clone", True)
