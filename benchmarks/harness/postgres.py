"""Fresh PostgreSQL databases for benchmark runs (one per engine and case), dropped after."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

from .engines import Engine

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432"


def _safe(name: str) -> str:
    return re.sub(r"[^a-z0-9_]", "_", name.lower())


@contextmanager
def fresh_database(server: str, name: str) -> Iterator[str]:
    """Create database ``bench_<name>`` on ``server``; yield its URL; drop it afterwards."""
    import psycopg

    dbname = f"bench_{_safe(name)}_{os.getpid()}"
    admin = f"{server}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
        conn.execute(f'CREATE DATABASE "{dbname}"')
    try:
        yield f"{server}/{dbname}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def engine_db_uri(engine: Engine, url: str) -> str:
    """The db_uri an engine takes: upstream on SQLAlchemy 2.1 needs the psycopg2 driver
    spelled out; ours speaks psycopg 3 for plain ``postgresql://``."""
    if engine.name == "upstream":
        return url.replace("postgresql://", "postgresql+psycopg2://", 1)
    return url


def prepare_upstream(engine: Engine, log) -> None:
    """Upstream needs psycopg2 in its venv to reach PostgreSQL at all."""
    probe = subprocess.run([engine.python, "-c", "import psycopg2"], capture_output=True)
    if probe.returncode != 0:
        log("installing psycopg2-binary into the upstream venv (one-time)")
        subprocess.run(
            [engine.python, "-m", "pip", "install", "--quiet", "psycopg2-binary"], check=True
        )


def create_schema(engine: Engine, config_dir: str, cwd: str, env: dict) -> None:
    """Upstream does not create its schema in an empty database: `redun db upgrade` first."""
    if engine.name == "upstream":
        subprocess.run(
            [engine.redun, "-c", config_dir, "db", "upgrade"],
            cwd=cwd,
            env=env,
            capture_output=True,
            check=True,
        )
