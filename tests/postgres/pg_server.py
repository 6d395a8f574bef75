"""The real PostgreSQL server the Postgres tests run against, and their shared fixtures.

The server is ``REDUN_TEST_PG_URI`` (default ``postgresql://postgres@127.0.0.1:5432``,
trust auth). Tests create and drop their own databases. When the server is unreachable
the tests skip with the reason, except under CI (``CI`` set), where they fail: CI must
never pass by skipping the backend it is meant to test.

Conftests import the fixtures from here (``tests/postgres`` and ``tests/contracts``).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

SERVER_URI = os.environ.get("REDUN_TEST_PG_URI", "postgresql://postgres@127.0.0.1:5432")
DATA = Path(__file__).parent / "data"
# Everything a test may write; redun_version and alembic_version keep the schema's version.
DATA_TABLES = (
    "tag_edit, tag, handle_edge, handle, execution, job, evaluation, argument_result, "
    "argument, call_subtree_task, call_edge, call_node, task, file, subvalue, value"
)


def _admin_conninfo(dbname: str = "postgres") -> str:
    return f"{SERVER_URI}/{dbname}"


def server_error() -> str | None:
    """Why the server cannot be used, or None when it answers."""
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - redun-postgres depends on psycopg
        return f"psycopg is not installed ({exc}); pip install -e packages/redun-postgres"
    try:
        with psycopg.connect(_admin_conninfo(), connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        return " ".join(str(exc).split())
    return None


def require_server() -> None:
    """Skip (outside CI) or fail (in CI) when the server is unreachable."""
    error = server_error()
    if error is None:
        return
    message = f"PostgreSQL at {SERVER_URI} is unreachable: {error}; start it (.ci/run does)"
    if os.environ.get("CI"):
        pytest.fail(f"CI requires the PostgreSQL server: {message}", pytrace=False)
    pytest.skip(message)


def create_database(prefix: str = "redun_test") -> str:
    """Create an empty database and return its ``postgresql://`` URI."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_admin_conninfo(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{SERVER_URI}/{name}"


def drop_database(uri: str) -> None:
    import psycopg

    name = uri.rsplit("/", 1)[1]
    with psycopg.connect(_admin_conninfo(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_sql(uri: str, sql: str) -> list[tuple]:
    """Run SQL (several statements allowed) outside redun; rows of the last statement."""
    import psycopg

    with psycopg.connect(uri, autocommit=True) as conn:
        cursor = conn.execute(sql.encode())
        return cursor.fetchall() if cursor.description else []


def load_sql_file(uri: str, path: Path) -> None:
    """Restore a plain ``pg_dump --inserts`` file (psql meta-commands are skipped)."""
    lines = [line for line in path.read_text().splitlines() if not line.startswith("\\")]
    run_sql(uri, "\n".join(lines))


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The server URI (no database); skips or fails when it is down."""
    require_server()
    return SERVER_URI


@pytest.fixture(scope="session")
def pg_session_uri(pg_server: str) -> Iterator[str]:
    """One database for the whole session; tests truncate instead of re-creating."""
    uri = create_database()
    yield uri
    drop_database(uri)


@pytest.fixture
def pg_uri(pg_session_uri: str) -> str:
    """The session database, emptied of records (its schema, once created, stays)."""
    if run_sql(pg_session_uri, "SELECT to_regclass('public.value') IS NOT NULL")[0][0]:
        run_sql(pg_session_uri, f"TRUNCATE {DATA_TABLES} CASCADE")
    return pg_session_uri


@pytest.fixture
def fresh_pg_uri(pg_server: str) -> Iterator[str]:
    """A brand-new empty database, for tests that change the schema itself."""
    uri = create_database()
    yield uri
    drop_database(uri)


@pytest.fixture
def pg_backend_factory(pg_uri: str) -> Iterator[Callable[[], object]]:
    """Builds loaded backends on the session database; closes them at the end."""
    from redun_postgres import RedunBackendPostgres

    made: list[RedunBackendPostgres] = []

    def make() -> RedunBackendPostgres:
        backend = RedunBackendPostgres(pg_uri)
        backend.load()
        made.append(backend)
        return backend

    yield make
    for backend in made:
        backend.close()


@pytest.fixture
def pg_backend(pg_backend_factory: Callable[[], object]) -> object:
    """A loaded ``RedunBackendPostgres`` on an empty session database."""
    return pg_backend_factory()
