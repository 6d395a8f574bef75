from __future__ import annotations

import hashlib
import sqlite3
import uuid

import pytest
from redun.backends.db import RedunBackendDb, parse_db_version
from redun.errors import DatabaseVersionError


def digest(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def schema(path: str) -> dict[str, tuple]:
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            t: (
                sorted(conn.execute(f"PRAGMA table_info('{t}')").fetchall()),
                sorted(r[1] for r in conn.execute(f"PRAGMA index_list('{t}')")),
            )
            for t in tables
        }


def test_fresh_database_is_created_at_3_5(backend, db_path):
    assert str(backend.get_db_version()) == "3.5"
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            ("0bee3d6dba76",)
        ]
        assert conn.execute("SELECT version FROM redun_version").fetchall() == [(3,)]


def test_fresh_schema_matches_upstream(backend, db_path, upstream_db):
    assert schema(db_path) == schema(upstream_db)


def test_upstream_database_opens_without_migration(upstream_db):
    before = schema(upstream_db)
    backend = RedunBackendDb(f"sqlite:///{upstream_db}")
    backend.load(migrate=False)
    evaluations = backend.get_evaluations(["fc6296c06f1e083a4266c70ab372e7c5c89128e3"])
    value_hash = evaluations["fc6296c06f1e083a4266c70ab372e7c5c89128e3"]
    assert backend.get_values([value_hash])[value_hash][0] == "builtins.str"
    assert str(backend.get_db_version()) == "3.5"
    backend.close()
    assert schema(upstream_db) == before
    with sqlite3.connect(upstream_db) as conn:
        assert conn.execute("SELECT count(*) FROM redun_version").fetchone() == (1,)


def _stamp(path: str, major: int, migration_id: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO redun_version VALUES (?, ?, '2999-01-01 00:00:00.000000')",
            (str(uuid.uuid4()), major),
        )
        conn.execute("UPDATE alembic_version SET version_num = ?", (migration_id,))


def test_newer_database_is_refused_and_untouched(backend, db_path):
    backend.close()
    _stamp(db_path, 4, "aaaaaaaaaaaa")
    before = digest(db_path)
    with pytest.raises(DatabaseVersionError) as info:
        RedunBackendDb(f"sqlite:///{db_path}").load()
    message = str(info.value)
    assert "\n" not in message
    assert f"database at {db_path} is version 4.?" in message
    assert "newer than this redun supports (<4); upgrade redun" in message
    assert digest(db_path) == before


def test_newer_minor_version_is_accepted(backend, db_path):
    backend.close()
    _stamp(db_path, 3, "bbbbbbbbbbbb")
    newer = RedunBackendDb(f"sqlite:///{db_path}")
    newer.load()
    assert str(newer.get_db_version()) == "3.?"
    newer.close()


def test_downgrade_then_upgrade_round_trips(backend, db_path):
    backend.close()
    db = RedunBackendDb(f"sqlite:///{db_path}")
    assert db.migrate(parse_db_version("3.4"))
    assert str(db.get_db_version()) == "3.4"
    with sqlite3.connect(db_path) as conn:
        columns = [r[1] for r in conn.execute("PRAGMA table_info('execution')")]
    assert "updated_time" not in columns
    db.close()

    refusing = RedunBackendDb(f"sqlite:///{db_path}", config={"automigrate": "false"})
    with pytest.raises(DatabaseVersionError, match=r"version 3.4, older .* `redun db upgrade`"):
        refusing.load()
    refusing.close()

    upgraded = RedunBackendDb(f"sqlite:///{db_path}")  # automigrate defaults to on
    upgraded.load()
    assert str(upgraded.get_db_version()) == "3.5"
    upgraded.close()
    with sqlite3.connect(db_path) as conn:
        columns = [r[1] for r in conn.execute("PRAGMA table_info('execution')")]
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            ("0bee3d6dba76",)
        ]
    assert "updated_time" in columns


def test_unknown_version_names_are_errors():
    with pytest.raises(DatabaseVersionError, match="unknown db version '9.9'"):
        parse_db_version("9.9")
    assert str(parse_db_version("latest")) == "3.5"
