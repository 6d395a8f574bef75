"""[backend] value_store_path: large values live as files beside the database (upstream)."""

from __future__ import annotations

import sqlite3

from redun import task
from redun.backends.db import Value
from redun.pickling import pickle_dumps

redun_namespace = "value_store_test"
calls: list[int] = []


@task()
def big(n: int) -> list:
    calls.append(n)
    return list(range(n))


def _stored(db_path, value_hash: str) -> bytes:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(
            "SELECT value FROM value WHERE value_hash = ?", (value_hash,)
        ).fetchone()[0]


def test_large_values_go_to_the_store_and_come_back(make_scheduler, db_path, tmp_path):
    store_dir = tmp_path / "values"
    config = {"backend": {"db_uri": f"sqlite:///{db_path}", "value_store_path": str(store_dir)}}
    calls.clear()
    first = make_scheduler(**config)
    assert first.run(big(1000)) == list(range(1000))
    session = first.backend.session
    large = [v for v in session.query(Value) if v.type == "builtins.list"]
    assert len(large) == 1
    value_hash = large[0].value_hash
    assert _stored(db_path, value_hash) == b""
    path = store_dir / value_hash[:2] / value_hash[2:]
    assert path.exists() and path.stat().st_size > 1000
    assert large[0].in_value_store and large[0].value_parsed == list(range(1000))
    # Small values stay in the database.
    assert all(v.value for v in session.query(Value) if v.value_hash != value_hash)

    again = make_scheduler(**config)
    assert again.run(big(1000)) == list(range(1000))
    assert calls == [1000]

    path.unlink()
    healed = make_scheduler(**config)
    assert healed.run(big(1000)) == list(range(1000))
    assert calls == [1000, 1000]
    assert path.exists()


def test_a_relative_store_path_is_relative_to_the_config_dir(tmp_path):
    from redun.backends.db import RedunBackendDb

    backend = RedunBackendDb(
        config={"db_uri": "sqlite:///:memory:", "value_store_path": "store"},
        config_dir=str(tmp_path),
    )
    assert backend.value_store.root_path == str(tmp_path / "store")


@task()
def text(n: int) -> str:
    return "A" * n


def test_preview_summarizes_a_value_too_large_to_load(make_scheduler, db_path, tmp_path):
    from redun.backends.db import MAX_VALUE_SIZE_PREVIEW, PreviewValue

    config = {"db_uri": f"sqlite:///{db_path}", "value_store_path": str(tmp_path / "values")}
    scheduler = make_scheduler(backend=config)
    small, large = scheduler.run(text(3)), scheduler.run(text(MAX_VALUE_SIZE_PREVIEW + 10))
    session = scheduler.backend.session

    def row(value):
        value_hash = scheduler.type_registry.get_hash(value)
        return session.query(Value).filter(Value.value_hash == value_hash).one()

    assert row(small).preview == "AAA"
    preview = row(large).preview
    assert isinstance(preview, PreviewValue)
    size = len(pickle_dumps(large))
    assert repr(preview) == f"builtins.str(hash={row(large).value_hash[:8]}, size={size})"
