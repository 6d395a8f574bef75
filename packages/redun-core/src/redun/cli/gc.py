"""`redun gc`: delete records no kept execution needs (see ``redun.backends.db.gc``)."""

from __future__ import annotations

import json

import click

from redun.cli.state import get_state
from redun.errors import UsageError


def format_bytes(size: int) -> str:
    """``512 B``, ``1.5 KiB``, ``3.2 MiB``, ``1.1 GiB``."""
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # pragma: no cover


@click.command("gc")
@click.option(
    "--keep-last", type=click.IntRange(min=0), metavar="N", help="Keep the N newest executions."
)
@click.option("--keep-tagged", multiple=True, metavar="KEY", help="Keep executions tagged KEY.")
@click.option("--older-than", metavar="SPAN", help="Only delete executions older than SPAN (30d).")
@click.option(
    "--active-window",
    default="1h",
    show_default=True,
    metavar="SPAN",
    help="Always keep executions started or updated this recently (they may be running).",
)
@click.option("--dry-run", is_flag=True, help="Show what would be deleted; delete nothing.")
@click.option(
    "--settle",
    type=click.FloatRange(min=0),
    default=5.0,
    show_default=True,
    metavar="SECONDS",
    help="Wait between hiding what will go from runs' cache lookups and deleting it.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def gc_command(
    keep_last: int | None,
    keep_tagged: tuple[str, ...],
    older_than: str | None,
    active_window: str,
    dry_run: bool,
    settle: float,
    fmt: str,
) -> None:
    """Delete executions no policy keeps, and the values and call nodes only they used.

    Executions active in the last hour are always kept, as is everything a kept
    execution's lineage needs. Safe while other runs write to the repository.
    """
    from redun.backends.db.gc import GcPolicy, collect
    from redun.backends.db.gc_mark import describe_policy
    from redun.cli.time_spans import parse_span

    if keep_last is None and not keep_tagged and older_than is None:
        raise UsageError("say what to keep: --keep-last N, --keep-tagged KEY or --older-than 30d")
    policy = GcPolicy(
        keep_last=keep_last,
        keep_tagged=keep_tagged,
        older_than=parse_span(older_than, "--older-than") if older_than else None,
        active_window=parse_span(active_window, "--active-window"),
    )
    backend = get_state().backend()
    if getattr(backend, "transaction", None) is None:
        raise UsageError("`redun gc` needs a SQL database backend; check [backend] db_uri")
    report = collect(backend, policy, dry_run=dry_run, settle=settle)
    if fmt == "json":
        record = {
            "dry_run": dry_run,
            "policy": describe_policy(policy),
            "executions_kept": report.executions_kept,
            "rows": report.rows,
            "value_bytes": report.value_bytes,
            "largest": [{"value_hash": h, "type": t, "bytes": n} for h, t, n in report.largest],
        }
        click.echo(json.dumps(record, sort_keys=True))
        return
    verb = "Would delete" if dry_run else "Deleted"
    click.echo(
        f"{verb} {report.executions_deleted} execution(s), keeping {report.executions_kept}; "
        f"{report.rows.get('value', 0)} value(s), {format_bytes(report.value_bytes)} of value data."
    )
    for table, count in report.rows.items():
        if count:
            click.echo(f"  {table:<18} {count:>10,} rows")
    if report.largest:
        click.echo("Largest values that would go:" if dry_run else "Largest values deleted:")
        for value_hash, type_name, size in report.largest:
            click.echo(f"  {value_hash[:8]}  {format_bytes(size):>10}  {type_name}")
