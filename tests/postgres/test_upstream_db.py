"""A Postgres repository written by upstream redun 0.44.1 opens here with its cache.

The fixture is data, not code: ``pg_dump --inserts`` of a database upstream redun
created (``redun db upgrade``) and filled with three runs of its hello world.
"""

from __future__ import annotations

import pytest
from postgres.pg_cli import make_repo, redun
from postgres.pg_server import DATA, load_sql_file, run_sql

pytestmark = pytest.mark.slow

FIXTURE = DATA / "upstream-0.44.1-hello.sql"
# Byte-identical to the workflow upstream ran: task hashes cover the source.
HELLO = """from redun import task, File
redun_namespace = "hello"
@task()
def get_planet(): return "World"
@task()
def greeter(greet: str, thing: str): return f"{greet}, {thing}!"
@task()
def main(greet: str = "Hello"): return greeter(greet, get_planet())
"""


@pytest.fixture
def upstream_uri(fresh_pg_uri: str) -> str:
    load_sql_file(fresh_pg_uri, FIXTURE)
    return fresh_pg_uri


def test_upstream_repository_is_reused_from_its_cache(upstream_uri, tmp_path):
    repo = make_repo(tmp_path, upstream_uri)
    (repo / "hello.py").write_text(HELLO)
    info = redun(repo, "db", "info")
    assert "db version: 3.5" in info.stdout, info.stderr
    result = redun(repo, "run", "hello.py", "main")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "'Hello, World!'"
    assert result.stderr.count("Cached Job") == 3, result.stderr
    # Our execution sits next to upstream's three, with upstream's UTC trigger untouched.
    assert run_sql(upstream_uri, "SELECT count(*) FROM execution")[0][0] == 4
    hi = redun(repo, "run", "hello.py", "main", "--greet", "Hi")
    assert hi.stderr.count("Cached Job") == 3, hi.stderr


def test_upstream_tags_read_back_as_json(upstream_uri):
    from redun.backends.db.models import Tag
    from redun_postgres import RedunBackendPostgres
    from sqlalchemy import select

    backend = RedunBackendPostgres(upstream_uri)
    backend.load()
    table = Tag.__table__
    with backend.transaction() as conn:
        rows = conn.execute(select(table.c.key, table.c.value, table.c.entity_type)).all()
    backend.close()
    tags = {(key, str(value)) for key, value, _ in rows}
    assert ("project", "hello") in tags and ("redun.version", "0.44.1") in tags
    assert {entity.name for _, _, entity in rows} == {"Execution"}
