"""``redun fs``: list the file systems redun can reach; ``redun fs cp`` copies between them.

Any URL a workflow can use works here (local paths, and ``s3://`` etc. once the plugin
serving the scheme is installed), which makes the command handy for moving inputs in
and results out without another tool. ``-`` means stdin or stdout.
"""

from __future__ import annotations

import click

STDIO = "-"


@click.group(name="fs", invoke_without_command=True)
@click.pass_context
def fs_command(ctx: click.Context) -> None:
    """Filesystem commands (local, s3, gs, http, ...)."""
    if ctx.invoked_subcommand is not None:
        return
    from redun.file import list_filesystems

    names = sorted({cls.name for cls in list_filesystems()})
    click.echo("Supported filesystems:")
    for name in names:
        click.echo(f"  {name}")


@fs_command.command(name="cp")
@click.argument("src_path", metavar="SRC")
@click.argument("dest_path", metavar="DEST")
@click.option("-r", "--recursive", is_flag=True, help="Copy a directory tree.")
def fs_cp_command(src_path: str, dest_path: str, recursive: bool) -> None:
    """Copy SRC to DEST across file systems ('-' for stdin or stdout)."""
    from redun.errors import UsageError
    from redun.file import copy_file

    src = None if src_path == STDIO else src_path
    dest = None if dest_path == STDIO else dest_path
    if recursive and (src is None or dest is None):
        raise UsageError("redun fs cp -r needs real paths: '-' (stdin/stdout) copies one file")
    copy_file(src, dest, recursive=recursive)
