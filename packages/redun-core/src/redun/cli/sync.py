"""`redun push|pull REPO [ID...]` and `redun export|import`: move records between repos.

Push and pull send only what the other side lacks and change it in one transaction;
export writes upstream redun's JSON-lines format and import reads it (twice adds
nothing). Ids may be prefixes, ``-`` or ``~N``; with none, every execution is sent.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

import click

from redun.cli.state import get_state
from redun.errors import UsageError

if TYPE_CHECKING:
    from redun.backends.base import RedunBackend


def _sync(
    src: RedunBackend, dest: RedunBackend, ids: tuple[str, ...], verb: str, repo: str
) -> None:
    from redun.backends.db.sync import sync

    result = sync(src, dest, ids)
    click.echo(result.describe(verb, repo))


@contextmanager
def _repo_backend(name: str) -> Iterator[RedunBackend]:
    from redun.cli.repo import open_repo_backend

    backend = open_repo_backend(name)
    try:
        yield backend
    finally:
        backend.close()


@click.command("push")
@click.argument("repo")
@click.argument("ids", nargs=-1)
def push_command(repo: str, ids: tuple[str, ...]) -> None:
    """Send executions (all, or IDS and what they reference) to repository REPO."""
    source = get_state().backend()
    with _repo_backend(repo) as dest:
        _sync(source, dest, ids, "Pushed", repo)


@click.command("pull")
@click.argument("repo")
@click.argument("ids", nargs=-1)
def pull_command(repo: str, ids: tuple[str, ...]) -> None:
    """Fetch executions (all, or IDS as named in REPO) from repository REPO."""
    dest = get_state().backend()
    with _repo_backend(repo) as source:
        _sync(source, dest, ids, "Pulled", repo)


@contextmanager
def _open_text(path: str, mode: str) -> Iterator[IO[str]]:
    if path == "-":
        yield sys.stdout if mode == "w" else sys.stdin
        return
    try:
        handle = open(path, mode, encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise UsageError(f"cannot open {path}: {exc.strerror}") from exc
    with handle:
        yield handle


@click.command("export")
@click.option("-f", "--file", "path", default="-", show_default=True, help="Output file.")
@click.argument("ids", nargs=-1)
def export_command(path: str, ids: tuple[str, ...]) -> None:
    """Write executions (all, or IDS) and everything they reference as JSON lines."""
    import json

    from redun.backends.db.sync import read_transaction, resolve_roots
    from redun.backends.db.sync_io import export_records
    from redun.backends.db.sync_walk import walk

    backend = get_state().backend()
    backend.flush()
    with read_transaction(backend) as conn, _open_text(path, "w") as out:
        plan = walk(conn, None, resolve_roots(conn, ids))
        for record in export_records(conn, plan):
            out.write(json.dumps(record) + "\n")


@click.command("import")
@click.option("-f", "--file", "path", default="-", show_default=True, help="Input file.")
def import_command(path: str) -> None:
    """Read records written by `redun export` (records already present are skipped)."""
    from redun.backends.db.sync import write_transaction
    from redun.backends.db.sync_io import import_records, parse_lines

    backend = get_state().backend()
    where = "stdin" if path == "-" else path
    with _open_text(path, "r") as handle, write_transaction(backend) as conn:
        counts = import_records(conn, parse_lines(handle, where), where)
    total = sum(counts.values())
    if not total:
        click.echo("Imported 0 new records: the repository already has them all.")
        return
    parts = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
    click.echo(f"Imported {total} new record(s) ({parts}).")
