"""``redun init [BASEDIR]``: create a repository's config dir, redun.ini and database.

The config dir is ``BASEDIR/.redun`` when BASEDIR is given, else the one ``-c`` or
``REDUN_CONFIG`` names, else ``./.redun``. An existing redun.ini is never overwritten, so
running init twice is harmless.
"""

from __future__ import annotations

import os

import click

from redun.cli.state import get_state


@click.command(name="init")
@click.argument("basedir", required=False, metavar="[BASEDIR]")
@click.pass_context
def init_command(ctx: click.Context, basedir: str | None) -> None:
    """Initialize a redun repository (config dir, redun.ini and database)."""
    from redun.config import REDUN_CONFIG_DIR, load_config, write_default_config
    from redun.scheduler.config import get_backend_from_config

    state = get_state(ctx)
    if basedir:
        config_dir = os.path.join(basedir, REDUN_CONFIG_DIR)
    else:
        config_dir = state.config_option or os.environ.get("REDUN_CONFIG") or REDUN_CONFIG_DIR
    write_default_config(config_dir)
    backend = get_backend_from_config(load_config(config_dir, create=False))
    try:
        backend.load(migrate=True)
    finally:
        backend.close()
    click.echo(f"Initialized redun repository: {config_dir}")
