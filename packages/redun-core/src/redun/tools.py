"""Ready-made tasks for common workflow chores: copying files, rendering templates.

Copying through a task rather than in a task body records where each copy came from
(the source File is the argument, the new File the result) and lets many copies run in
parallel. All tasks are in namespace ``redun`` at version "1", as upstream.
"""

from __future__ import annotations

import os
from typing import TypeVar

from redun.file import Dir, File
from redun.functools import seq
from redun.task import task

T = TypeVar("T")


@task(namespace="redun", version="1", cache=False)
def debug_task(value: T) -> T:
    """Stop in pdb when the workflow reaches this point, with ``value`` concrete.

    Pass a lazy value through it (``x = debug_task(x)``) to inspect what a task will
    receive. Never cached, so it stops on every run.
    """
    import pdb

    pdb.set_trace()
    return value


@task(namespace="redun", version="1", config_args=["skip_if_exists"])
def copy_file(src_file: File, dest_path: str, skip_if_exists: bool = False) -> File:
    """Copy a File to ``dest_path`` (ending in ``/``: keep the source basename there).

    ``skip_if_exists`` does not change the cache key: it is a speed-up, not a
    different result.
    """
    if dest_path.endswith("/"):
        dest_path = dest_path + src_file.basename()
    return src_file.copy_to(src_file.classes.File(dest_path), skip_if_exists=skip_if_exists)


@task(namespace="redun", version="1", config_args=["skip_if_exists", "copy_options"])
def copy_files(
    src_files: list[File],
    dest_paths: list[str],
    skip_if_exists: bool = False,
    copy_options: dict = {},  # noqa: B006  (read only)
) -> list[File]:
    """Copy Files pairwise to ``dest_paths``, one parallel job per file.

    ``copy_options`` are task options for each copy job (``executor``, ...).
    """
    if len(src_files) != len(dest_paths):
        raise ValueError(
            f"copy_files() got {len(src_files)} files but {len(dest_paths)} destination paths"
        )
    return [
        copy_file.options(**copy_options)(src_file, dest_path, skip_if_exists=skip_if_exists)
        for src_file, dest_path in zip(src_files, dest_paths)
    ]


@task(namespace="redun", version="1", config_args=["skip_if_exists", "copy_options"])
def copy_dir(
    src_dir: Dir,
    dest_path: str,
    skip_if_exists: bool = False,
    copy_options: dict = {},  # noqa: B006  (read only)
) -> Dir:
    """Copy a Dir's files to ``dest_path`` in parallel and return the new Dir.

    The Dir is returned only after every copy finished (``seq``), so its hash covers
    the copied files.
    """
    src_files = list(src_dir)
    dest_dir = src_dir.classes.Dir(dest_path)
    dest_paths = [dest_dir.file(src_dir.rel_path(src.path)).path for src in src_files]
    copies = copy_files(
        src_files, dest_paths, skip_if_exists=skip_if_exists, copy_options=copy_options
    )
    return seq([copies, dest_dir])[1]


@task(namespace="redun", version="1")
def render_template(
    out_path: str, template: File, context: dict, template_dir: str | None = None
) -> File:
    """Render a jinja2 template File with ``context`` into ``out_path``.

    ``template_dir`` (default: the template's directory) is where ``{% include %}``
    and ``{% extends %}`` look. Needs jinja2: ``pip install 'redun-core[templates]'``.
    """
    try:
        import jinja2
    except ImportError as error:
        raise ImportError(
            "render_template() needs jinja2: pip install 'redun-core[templates]'"
        ) from error

    template_dir = template_dir or template.dirname() or "."
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(template_dir))
    jinja_template = env.get_template(os.path.relpath(template.path, template_dir))
    out_file = File(out_path)
    out_file.write(jinja_template.render(context))
    return out_file
