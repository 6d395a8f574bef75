"""Where a repository's space goes: rows and bytes per table, and the largest values."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

TABLES = (
    "value",
    "subvalue",
    "file",
    "task",
    "call_node",
    "call_edge",
    "call_subtree_task",
    "argument",
    "argument_result",
    "evaluation",
    "execution",
    "job",
    "handle",
    "handle_edge",
    "tag",
    "tag_edit",
)


def _table_bytes(conn: Connection) -> dict[str, int]:
    """Bytes on disk per table, indexes included (empty when the database cannot say)."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    if conn.dialect.name == "postgresql":
        rows = conn.execute(
            text(
                "SELECT relname, pg_total_relation_size(relid) "
                "FROM pg_catalog.pg_statio_user_tables"
            )
        )
        return {name: int(size) for name, size in rows}
    try:
        # SQLite's dbstat table, where compiled in; an index counts toward its table.
        with conn.begin_nested():
            rows = conn.execute(
                text(
                    "SELECT m.tbl_name, SUM(s.pgsize) FROM dbstat s "
                    "JOIN sqlite_master m ON m.name = s.name GROUP BY m.tbl_name"
                )
            ).all()
    except DBAPIError:
        return {}
    return {name: int(size) for name, size in rows}


def table_sizes(conn: Connection) -> list[tuple[str, int, int | None]]:
    """``(table, rows, bytes or None)`` for redun's tables, largest first."""
    from sqlalchemy import text

    sizes = _table_bytes(conn)
    found = []
    for table in TABLES:
        rows = conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar() or 0
        found.append((table, int(rows), sizes.get(table)))
    return sorted(found, key=lambda t: (-(t[2] or 0), -t[1], t[0]))


def largest_values(conn: Connection, limit: int = 10) -> list[tuple[str, str, int]]:
    """``(value_hash, type, bytes)`` of the largest stored values."""
    from sqlalchemy import text

    rows = conn.execute(
        text(
            "SELECT value_hash, type, LENGTH(value) AS size FROM value "
            "ORDER BY LENGTH(value) DESC LIMIT :limit"
        ),
        {"limit": limit},
    )
    return [(h, t, int(n or 0)) for h, t, n in rows]
