"""The ``redun`` command: a click group whose sub-commands load lazily.

Sub-commands live one per module and are imported only when invoked, so ``redun
--help`` and ``redun run`` never pay for commands (or plugins) they do not use.
Plugin commands come from the ``redun_cli_commands()`` hook.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import sys

import click

from redun.cli.state import CliState
from redun.errors import Interrupted, RedunError
from redun.log_output import flush_log_output

# name -> "module:attribute" of a click command.
BUILTIN_COMMANDS: dict[str, str] = {
    "init": "redun.cli.init:init_command",
    "run": "redun.cli.run:run_command",
    "log": "redun.cli.log:log_command",
    "db": "redun.cli.db:db_command",
    "oneshot": "redun.cli.oneshot:oneshot_command",
    "plugins": "redun.cli.plugins:plugins_command",
    "tag": "redun.cli.tag:tag_command",
    "repo": "redun.cli.repo:repo_command",
    "push": "redun.cli.sync:push_command",
    "pull": "redun.cli.sync:pull_command",
    "export": "redun.cli.sync:export_command",
    "import": "redun.cli.sync:import_command",
    "console": "redun.cli.console:console_command",
    "viz": "redun.cli.viz:viz_command",
    "launch": "redun.cli.launch:launch_command",
    "fs": "redun.cli.fs:fs_command",
    "repl": "redun.cli.repl:repl_command",
    "why": "redun.cli.why:why_command",
    "gc": "redun.cli.gc:gc_command",
}


class LazyGroup(click.Group):
    """A group that imports a sub-command's module only when it is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        available = {
            name
            for name, target in BUILTIN_COMMANDS.items()
            if importlib.util.find_spec(target.split(":")[0]) is not None
        }
        names = available | set(super().list_commands(ctx))
        names |= set(_plugin_commands())
        return sorted(names)

    def invoke(self, ctx: click.Context) -> object:
        # Ctrl-C outside a run (importing the script, reading the database): click would
        # turn it into Abort after printing a blank line; main() reports it in one line.
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise Interrupted("interrupted") from None

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = BUILTIN_COMMANDS.get(name)
        if target:
            module_name, attr = target.split(":")
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name == module_name:
                    return None
                raise
            return getattr(module, attr)
        command = super().get_command(ctx, name)
        if command is not None:
            return command
        return _plugin_commands().get(name)


def _plugin_commands() -> dict[str, click.Command]:
    try:
        from redun.plugins.registry import get_cli_commands
    except ImportError:
        return {}
    try:
        return {command.name: command for command in get_cli_commands() if command.name}
    except RedunError:
        return {}


def _version() -> str:
    from redun._version import __version__

    return __version__


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-c", "--config", "config", metavar="DIR", help="redun config directory.")
@click.option("-r", "--repo", default="default", show_default=True, help="Repository to use.")
@click.option(
    "--log-level",
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"], case_sensitive=False),
    default="INFO",
    show_default=True,
)
@click.option("-s", "--setup", "setup", multiple=True, metavar="K=V", help="setup_scheduler arg.")
@click.option("--check-version", metavar="SPEC", help="Fail unless redun's version matches.")
@click.version_option(version=None, message="redun %(version)s", package_name="redun-core")
@click.pass_context
def cli(
    ctx: click.Context,
    config: str | None,
    repo: str,
    log_level: str,
    setup: tuple[str, ...],
    check_version: str | None,
) -> None:
    """redun: plain Python workflows, cached, parallel and recorded."""
    logging.getLogger("redun").setLevel(log_level.upper())
    if check_version:
        _check_version(check_version)
    state = CliState(config_option=config, repo=repo, setup_args=setup)
    ctx.obj = state
    ctx.call_on_close(state.close)


def _check_version(spec: str) -> None:
    from redun.errors import UsageError

    version = tuple(int(p) for p in _version().split(".")[:3] if p.isdigit())
    for clause in spec.split(","):
        clause = clause.strip()
        for op in (">=", "<=", "==", ">", "<"):
            if clause.startswith(op):
                want = tuple(int(p) for p in clause[len(op) :].split("."))
                ok = {
                    ">=": version >= want,
                    "<=": version <= want,
                    "==": version[: len(want)] == want,
                    ">": version > want,
                    "<": version < want,
                }[op]
                if not ok:
                    raise UsageError(f"redun version {_version()} does not satisfy '{spec}'")
                break
        else:
            raise UsageError(f"malformed --check-version '{spec}' (use e.g. '>=0.1')")


def main(argv: list[str] | None = None) -> None:
    """Console entry point: one-line errors, exit 2 for usage problems, 1 for failures."""
    try:
        cli.main(args=argv, prog_name="redun", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        flush_log_output()
        click.echo("redun: aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        flush_log_output()
        click.echo(f"redun: error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except Interrupted as exc:
        flush_log_output()
        click.echo(f"redun: {exc}", err=True)  # "interrupted: ..." (see errors.Interrupted)
        sys.exit(exc.exit_code)
    except RedunError as exc:
        flush_log_output()
        click.echo(f"redun: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        flush_log_output()
        click.echo("redun: interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
