"""Fixtures of the contract suites: every backend behind one ``backend_factory``, every
file system behind one ``fs_root``.

``sqlite_backend`` and ``pg_backend`` are the implementations; ``backend_factory`` is
parametrized over both, so each contract test runs once per backend. The Postgres case
uses the real server (tests/postgres/pg_server.py, loaded by tests/conftest.py: fails in
CI when it is down, skips outside).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest


@pytest.fixture
def sqlite_backend_factory(tmp_path) -> Iterator[Callable[[], object]]:
    """Builds loaded SQLite backends on one database file; closes them at the end."""
    from redun.backends.db import RedunBackendDb

    made: list[RedunBackendDb] = []

    def make() -> RedunBackendDb:
        backend = RedunBackendDb(f"sqlite:///{tmp_path / 'redun.db'}")
        backend.load()
        made.append(backend)
        return backend

    yield make
    for backend in made:
        backend.close()


@pytest.fixture
def sqlite_backend(sqlite_backend_factory: Callable[[], object]) -> object:
    """A loaded ``RedunBackendDb`` on an empty database file."""
    return sqlite_backend_factory()


@pytest.fixture(params=["sqlite", "postgres"])
def backend_factory(request: pytest.FixtureRequest) -> Callable[[], object]:
    """Makes backends that share one database (each call: a new process-like client)."""
    name = "sqlite_backend_factory" if request.param == "sqlite" else "pg_backend_factory"
    return request.getfixturevalue(name)


@pytest.fixture
def backend(backend_factory: Callable[[], object]) -> object:
    """A loaded backend of each implementation on an empty database."""
    return backend_factory()


@pytest.fixture(params=["local", "s3"])
def fs_root(request: pytest.FixtureRequest, tmp_path) -> str:
    """An empty directory on each file system: a local path, or a prefix of an S3 bucket
    on the session's SeaweedFS server."""
    if request.param == "local":
        return str(tmp_path / "root")
    bucket = request.getfixturevalue("s3_bucket")
    return f"s3://{bucket}/root"
