"""`redun tag list|add|update|rm`: show and edit tags on executions, jobs, call nodes,
tasks and values.

``add`` and ``update`` take entity ids (prefixes, ``-``, ``~N``) followed by
``key=value`` pairs, as upstream does; ``rm`` takes one entity id (or several before
``--``) followed by ``key`` or ``key=value``. Values are JSON when they parse as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from redun.cli.state import get_state
from redun.errors import UsageError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

TAGGABLE = ("Execution", "Job", "CallNode", "Task", "Value")


def _transaction() -> Any:
    backend = get_state().backend()
    transaction = getattr(backend, "transaction", None)
    if transaction is None:
        raise UsageError("tags need a SQL database backend; check [backend] db_uri")
    return transaction()


def _entity(conn: Connection, text: str) -> tuple[str, str]:
    from redun.backends.db.queries import resolve_id

    kind, full_id = resolve_id(conn, text)
    if kind not in TAGGABLE:  # pragma: no cover - resolve_id only returns taggable kinds
        raise UsageError(f"{kind} {full_id} cannot be tagged")
    return kind, full_id


def _split(args: Sequence[str], cmd: str) -> tuple[list[str], list[str]]:
    """Entity ids, then ``k=v`` pairs: the ids end at the first argument with '='."""
    ids: list[str] = []
    index = 0
    while index < len(args) and "=" not in args[index]:
        ids.append(args[index])
        index += 1
    pairs = list(args[index:])
    if not ids:
        raise UsageError(f"`redun tag {cmd}` needs an entity id before the KEY=VALUE pairs")
    if not pairs and len(ids) > 1:
        raise UsageError(f"malformed tag '{ids[-1]}': expected KEY=VALUE, e.g. env=prod")
    if not pairs:
        raise UsageError(f"`redun tag {cmd}` needs at least one KEY=VALUE after the id")
    return ids, pairs


def _pairs_text(pairs: Sequence[tuple[str, Any]]) -> str:
    return " ".join(f"{key}={json.dumps(value)}" for key, value in pairs)


def _write(rows: list[Any]) -> None:
    backend = get_state().backend()
    backend.write(rows)
    backend.flush()


@click.group("tag")
def tag_command() -> None:
    """Show and edit tags."""


@tag_command.command("list")
@click.option("--values", "show_values", is_flag=True, help="Count each key=value pair.")
@click.argument("filters", nargs=-1)
@click.pass_context
def tag_list(ctx: click.Context, show_values: bool, filters: tuple[str, ...]) -> None:
    """Count current tags by key; with KEY[=VALUE] filters, list the tagged records."""
    from redun.backends.db.tags import tag_counts
    from redun.tags import format_tag_value, parse_tag_key_value

    patterns = [parse_tag_key_value(text, value_required=False) for text in filters]
    if filters and not show_values:
        from redun.cli.log import log_command

        ctx.invoke(log_command, show_all=True, tags=filters)
        return
    with _transaction() as conn:
        counts = tag_counts(conn, patterns, values=show_values)
    click.echo("Tags:")
    for (key, value), kinds in sorted(
        counts.items(), key=lambda item: (item[0][0], item[0][1] or "")
    ):
        summary = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        if show_values:
            pair = f"{key}={format_tag_value(json.loads(value))}"
            click.echo(f"  {pair:30} ({summary})")
        else:
            click.echo(f"  {key:10} ({summary})")


@tag_command.command("add")
@click.argument("args", nargs=-1, required=True, metavar="ID... KEY=VALUE...")
def tag_add(args: tuple[str, ...]) -> None:
    """Add tags to records (an existing tag with the same key is kept)."""
    from redun.backends.db.tags import new_tag_rows
    from redun.tags import parse_tag_key_value

    ids, texts = _split(args, "add")
    pairs = [parse_tag_key_value(text) for text in texts]
    for text in ids:
        with _transaction() as conn:
            kind, full_id = _entity(conn, text)
            rows = new_tag_rows(conn, kind, full_id, pairs)
        _write(rows)
        click.echo(f"add tag {kind}:{full_id} {_pairs_text(pairs)}")


@tag_command.command("update")
@click.argument("args", nargs=-1, required=True, metavar="ID... KEY=VALUE...")
def tag_update(args: tuple[str, ...]) -> None:
    """Replace the current tags of the given keys (one current tag per key remains)."""
    from redun.backends.db.tags import update_tag_rows
    from redun.tags import parse_tag_key_value

    ids, texts = _split(args, "update")
    pairs = [parse_tag_key_value(text) for text in texts]
    for text in ids:
        with _transaction() as conn:
            kind, full_id = _entity(conn, text)
            rows = update_tag_rows(conn, kind, full_id, pairs)
        _write(rows)
        click.echo(f"update tag {kind}:{full_id} {_pairs_text(pairs)}")


@tag_command.command("rm", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, required=True, metavar="ID [--] KEY[=VALUE]...")
def tag_rm(args: tuple[str, ...]) -> None:
    """Remove current tags by key, or by key and value."""
    from redun.backends.db.tags import delete_tag_rows
    from redun.tags import parse_tag_key_value

    if "--" in args:
        split = args.index("--")
        ids, texts = list(args[:split]), list(args[split + 1 :])
    else:
        ids, texts = list(args[:1]), list(args[1:])
    if not ids or not texts:
        raise UsageError("usage: redun tag rm ID [--] KEY[=VALUE]...")
    patterns = [parse_tag_key_value(text, value_required=False) for text in texts]
    for text in ids:
        with _transaction() as conn:
            kind, full_id = _entity(conn, text)
            row, removed = delete_tag_rows(conn, full_id, patterns)
        _write([row])
        click.echo(f"delete tag {kind}:{full_id} {_pairs_text(removed)}")
