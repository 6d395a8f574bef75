"""`redun console`: the terminal UI over the repository (needs the ``console`` extra)."""

from __future__ import annotations

import click

from redun.cli.state import get_state
from redun.errors import UsageError

INSTALL_HINT = "`redun console` needs textual: pip install 'redun-core[console]'"


@click.command(
    "console",
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
)
@click.argument("argv", nargs=-1, type=click.UNPROCESSED, metavar="[PATH] [OPTIONS]...")
def console_command(argv: tuple[str, ...]) -> None:
    """Browse executions, jobs, values and tasks in a terminal UI.

    PATH is `executions` (the default), `executions/ID`, `jobs/ID`, `values/HASH`,
    `tasks/HASH`, `search`, or any id prefix, `-` (latest execution) or `~N`. Options:
    `--status S` and `--find TEXT` (executions), plus `--task NAME` and `--job ID`
    (one execution). Inside, `/` filters or searches, Enter opens, Escape goes back.
    """
    from redun.console.routes import parse_route

    try:
        import textual  # noqa: F401
    except ImportError:
        raise UsageError(INSTALL_HINT) from None
    from redun.console.app import RedunConsole
    from redun.console.reader import ConsoleReader

    route = parse_route(argv)
    reader = ConsoleReader(get_state().backend())
    if route.screen == "id":
        # Resolve before the UI starts, so an unknown id is a one-line error.
        route = parse_route([reader.resolve(route.record_id or ""), *route.argv()[1:]])
    RedunConsole(reader, route).run()
