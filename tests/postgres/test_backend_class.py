"""``[backend] db_uri`` picks the backend by scheme: PostgreSQL's and SQLite's are
siblings on one ``SqlBackend``, neither a variant of the other."""

from __future__ import annotations

import pytest
from redun.backends.db import RedunBackendDb, SqlBackend
from redun.errors import BackendError
from redun.scheduler.config import get_backend_from_config
from redun_postgres import RedunBackendPostgres


def test_a_postgresql_uri_in_the_config_selects_the_postgres_backend(pg_uri: str) -> None:
    backend = get_backend_from_config({"backend": {"db_uri": pg_uri}})

    assert type(backend) is RedunBackendPostgres
    backend.load()
    assert backend.dialect_name == "postgresql" and backend.automigrate is False
    backend.close()


def test_a_sqlite_uri_in_the_config_selects_the_default_backend(tmp_path) -> None:
    backend = get_backend_from_config({"backend": {"db_uri": f"sqlite:///{tmp_path}/r.db"}})

    assert type(backend) is RedunBackendDb and backend.automigrate is True


def test_the_two_backends_are_siblings() -> None:
    assert issubclass(RedunBackendPostgres, SqlBackend) and issubclass(RedunBackendDb, SqlBackend)
    assert not issubclass(RedunBackendPostgres, RedunBackendDb)
    assert not issubclass(RedunBackendDb, RedunBackendPostgres)


def test_the_sqlite_backend_given_a_postgresql_uri_says_where_it_belongs(pg_uri: str) -> None:
    with pytest.raises(BackendError) as info:
        RedunBackendDb(pg_uri)
    message = str(info.value)
    assert "\n" not in message
    assert "not postgresql://" in message and "[backend] db_uri" in message
