"""`redun log --saved`: compute the cache saved, summed per task over a time range."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from redun.backends.db.saved import ReadRows, Savings
    from redun.cli.log import LogView


def connection_reader(conn: Connection) -> ReadRows:
    """Plain SQL with named parameters on a SQLAlchemy connection."""
    from sqlalchemy import text

    def read(sql: str, params: Any) -> list[tuple]:
        return [tuple(row) for row in conn.execute(text(sql), dict(params))]

    return read


def show_saved(conn: Connection, view: LogView, since: datetime) -> None:
    from redun.backends.db.saved import savings_since

    savings = savings_since(connection_reader(conn), since, conn.dialect.name)
    if view.fmt == "json":
        view.json({"_type": "Savings", "since": since.isoformat(), **savings.as_dict()})
        return
    view.echo(f"Cache reuse since {since.astimezone().strftime('%Y-%m-%d %H:%M:%S')}:")
    view.echo()
    savings_table(view, savings)


def savings_table(view: LogView, savings: Savings) -> None:
    from redun.backends.db.saved import format_seconds

    rows = sorted(savings.tasks.values(), key=lambda t: (-t.seconds, t.task_name))
    width = max([len("TASK"), len("ALL"), *(len(t.task_name) for t in rows)])
    view.echo(f"| {'TASK':<{width}} | {'REUSED':>8} | {'COMPUTE SAVED':>13} |")
    for row in rows:
        view.echo(
            f"| {row.task_name:<{width}} | {row.reused:>8,} | {format_seconds(row.seconds):>13} |"
        )
    view.echo(
        f"| {'ALL':<{width}} | {savings.reused:>8,} | {format_seconds(savings.seconds):>13} |"
    )
