"""Print ``redun/backends/db/sqlite_ddl.py`` from the SQLAlchemy tables.

Run after changing ``tables.py`` (from the repository root):
    python tests/core/backends/make_sqlite_ddl.py \
        > packages/redun-core/src/redun/backends/db/sqlite_ddl_statements.py
``test_sqlite_ddl.py`` fails until the two agree.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path


def sqlalchemy_statements() -> list[str]:
    """The CREATE statements SQLAlchemy issues for a new repository, in order."""
    from redun.backends.db import RedunBackendDb

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "redun.db"
        backend = RedunBackendDb(f"sqlite:///{path}")
        backend.load()
        backend.close()
        with sqlite3.connect(path) as conn:
            rows = conn.execute("SELECT sql FROM sqlite_master ORDER BY rowid").fetchall()
    return [sql for (sql,) in rows if sql]


def main() -> None:
    print("# ruff: noqa: E501")
    print('"""The latest schema as SQLite DDL, generated from ``tables.py`` by')
    print("tests/core/backends/make_sqlite_ddl.py (a test checks they agree).")
    print('"""')
    print()
    print("STATEMENTS = (")
    for sql in sqlalchemy_statements():
        print(f"    {sql!r},")
    print(")")


if __name__ == "__main__":
    main()
