"""`redun db`: inspect and migrate the repository's schema.

These commands open the database without the version check that every other command
does, because their job is to deal with databases at the wrong version.
"""

from __future__ import annotations

from typing import Any

import click

from redun.cli.state import get_state
from redun.errors import UsageError


def _backend() -> Any:
    """The repo's backend, connected but not loaded (no version check, no migration)."""
    from redun.scheduler.config import get_backend_from_config

    state = get_state()
    backend = get_backend_from_config(state.config())
    if not hasattr(backend, "migrate") or not hasattr(backend, "get_db_version"):
        raise UsageError(f"`redun db` cannot manage a {type(backend).__name__} backend")
    click.get_current_context().call_on_close(backend.close)
    return backend


def _masked(db_uri: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(db_uri).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URI is shown as it was given
        return db_uri


def _header() -> None:
    from redun._version import __version__

    click.echo(f"redun :: version {__version__}")
    click.echo(f"config dir: {get_state().config_dir()}")
    click.echo()


@click.group("db")
def db_command() -> None:
    """Inspect and migrate the repository database."""


@db_command.command("info")
def info_command() -> None:
    """Show the database, its schema version and the versions this redun supports."""
    from redun.backends.db.versions import NULL_VERSION, SUPPORTED_RANGE, is_compatible

    backend = _backend()
    version = backend.get_db_version()
    _header()
    click.echo(f"db uri: {_masked(backend.db_uri)}")
    if version == NULL_VERSION:
        click.echo("db version: none (no redun schema yet; it is created on first use)")
    else:
        click.echo(f"db version: {version} '{version.description}'")
    click.echo(f"CLI requires db versions: {SUPPORTED_RANGE}")
    click.echo(f"CLI compatible with db: {is_compatible(version)}")
    if version != NULL_VERSION and is_compatible(version):
        _space(backend)


def _space(backend: Any) -> None:
    """Rows and bytes per table, and the largest values (what `redun gc` could free)."""
    from redun.backends.db.db_stats import largest_values, table_sizes
    from redun.cli.gc import format_bytes

    with backend.transaction() as conn:
        sizes = table_sizes(conn)
        largest = largest_values(conn)
    click.echo()
    click.echo("Tables (rows, size):")
    for table, rows, size in sizes:
        shown = format_bytes(size) if size is not None else "?"
        click.echo(f"  {table:<18} {rows:>10,} {shown:>10}")
    if largest:
        click.echo()
        click.echo("Largest values:")
        for value_hash, type_name, size in largest:
            click.echo(f"  {value_hash[:8]}  {format_bytes(size):>10}  {type_name}")


@db_command.command("versions")
def versions_command() -> None:
    """List every known schema version and its migration id."""
    from redun.backends.db.versions import DB_VERSIONS, OLDEST_MIGRATABLE

    width = max(len(v.description) for v in DB_VERSIONS)
    click.echo(f"{'Version':<8}{'Migration':<13}{'Description':<{width}}")
    click.echo()
    for version in DB_VERSIONS:
        note = "" if version.key >= OLDEST_MIGRATABLE.key else "  (migrate with upstream redun)"
        click.echo(f"{str(version):<8}{version.migration_id:<13}{version.description}{note}")


def _move(target: str, direction: str) -> None:
    from redun.backends.db.versions import NULL_VERSION, parse_db_version

    backend = _backend()
    desired = parse_db_version(target)
    current = backend.get_db_version()
    if current == NULL_VERSION:
        raise UsageError(f"database {backend.where} has no redun schema; run a workflow first")
    _header()
    click.echo(f"Initial db version: {current}")
    if direction == "upgrade" and desired.key < current.key:
        raise UsageError(f"version {desired} is older than the database's {current}; downgrade")
    if direction == "downgrade" and desired.key > current.key:
        raise UsageError(f"version {desired} is newer than the database's {current}; upgrade")
    if not backend.migrate(desired):
        click.echo("No migration needed.")
        return
    click.echo(f"Final db version: {backend.get_db_version()}")


@db_command.command("upgrade")
@click.argument("version", default="latest")
def upgrade_command(version: str) -> None:
    """Upgrade the schema to VERSION (default: latest)."""
    _move(version, "upgrade")


@db_command.command("downgrade")
@click.argument("version")
def downgrade_command(version: str) -> None:
    """Downgrade the schema to VERSION (for example 3.4)."""
    _move(version, "downgrade")
