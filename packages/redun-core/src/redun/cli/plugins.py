"""``redun plugins``: what is installed, what each plugin provides, and whether it loaded.

This is the first thing to run when an executor type or URL scheme is reported unknown:
it shows a plugin that failed to import next to the error that stopped it, instead of
leaving the user to guess whether the package is missing or broken.
"""

from __future__ import annotations

import json
import textwrap
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from redun.plugins.listing import PluginInfo


@click.command("plugins")
@click.option("--all", "show_all", is_flag=True, help="Also list core's built-in parts.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list for machines.")
def plugins_command(show_all: bool, as_json: bool) -> None:
    """List installed redun plugins, what they provide and their load status."""
    from redun.plugins.listing import list_plugins
    from redun.plugins.manager import DISABLE_AUTOLOAD_ENV, get_plugin_manager

    infos = list_plugins(include_builtin=show_all)
    if as_json:
        click.echo(json.dumps([info.to_dict() for info in infos], indent=2))
        return
    if get_plugin_manager().autoload_disabled:
        click.echo(f"{DISABLE_AUTOLOAD_ENV} is set: installed plugins are not loaded.")
    elif not infos:
        click.echo("No redun plugins installed (redun plugins --all also lists core's parts).")
    for info in infos:
        for line in format_plugin(info):
            click.echo(line)


def format_plugin(info: PluginInfo) -> list[str]:
    """The lines ``redun plugins`` prints for one plugin: a header, then one per kind."""
    origin = " ".join(part for part in (info.distribution, info.version) if part)
    status = f"failed: {info.error}" if info.error else info.status
    header = f"{info.name} ({origin or info.module}): {status}"
    lines = [header]
    for kind, keys in info.provides.items():
        lines.extend(
            textwrap.wrap(
                ", ".join(keys),
                width=100,
                initial_indent=f"  {kind}: ",
                subsequent_indent="    ",
                break_on_hyphens=False,
            )
        )
    if info.ok and not info.provides:
        lines.append("  provides nothing")
    return lines
