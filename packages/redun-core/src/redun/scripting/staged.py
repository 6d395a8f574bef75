"""``script()``: run a shell command as a task, with files staged in and out.

``script()`` itself is a plain function. It renders one bash script (copy inputs to
local paths, run the user's command, copy outputs back) and returns a call of the
internal task ``redun.script``, which calls ``redun.script_task`` (the command) and then
``redun.postprocess_script`` (swap staging pairs for the remote files).

Reactivity comes from the arguments of ``redun.script``: the remote input Files are
passed alongside the command although the command already names them, so a changed
input changes the call. ``redun.script`` checks its cache shallowly, so a run whose
output files are all still valid is replayed as one cache hit; when an output was
deleted or changed, the single-reduction cache replays ``redun.script`` down to
``redun.script_task``, which never reads the backend cache (CSE only) and so re-runs.
Names, namespaces and versions match upstream redun's so task hashes match too.
"""

from __future__ import annotations

import os
import shlex
import shutil
from typing import Any

from redun.file import Dir, File, Staging
from redun.scripting.commands import get_wrapped_command, prepare_command
from redun.scripting.errors import ScriptFileNotFoundError
from redun.task import CacheScope, task
from redun.value.nested import iter_nested_value, map_nested_value

# ``outputs`` default: the script's stdout.
NULL = object()
STDOUT_PATH = "-"
# temp_path of a script run in a temporary directory made (and removed) by the command
# itself, at run time: a constant, so such a call's cache key is stable across runs.
RUNTIME_TEMPDIR = "<runtime tempdir>"
TEMPDIR_COMMAND = "\n".join(
    [
        'REDUN_TEMPDIR="$(mktemp -d)"',
        "trap 'rm -rf \"$REDUN_TEMPDIR\"' EXIT",
        'cd "$REDUN_TEMPDIR"',
    ]
)


def _script_task(command: str) -> str:
    """Run ``command`` (a whole bash script) as a job; the result is its stdout."""
    return command


# Never from the backend cache, whatever a caller or an exporting parent asks: the files
# a command reads and writes are invisible to its single argument (the text), so only
# ``redun.script`` can tell when it is stale.
script_task = task(
    _script_task,
    name="script_task",
    namespace="redun",
    version="1",
    script=True,
    cache=False,
    max_cache_scope=CacheScope.CSE,
)


@task(name="script", namespace="redun", version="1", check_valid="shallow")
def _script(
    command: str,
    inputs: Any,
    outputs: Any,
    task_options: dict = {},  # noqa: B006  (part of the upstream-compatible signature)
    temp_path: str | None = None,
) -> Any:
    """Run the rendered command, then hand back ``outputs`` with remote files."""
    for value in iter_nested_value(inputs):
        if isinstance(value, (File, Dir)) and not value.exists():
            raise ScriptFileNotFoundError(
                f"script input '{value.path}' does not exist; create it or fix the path "
                "given in inputs="
            )
    options = {k: v for k, v in task_options.items() if k not in ("cache", "cache_scope")}
    return postprocess_script(script_task.options(**options)(command), outputs, temp_path=temp_path)


@task(name="postprocess_script", namespace="redun", version="1")
def postprocess_script(result: Any, outputs: Any, temp_path: str | None = None) -> Any:
    """Replace stdout placeholders by the stdout and staging pairs by their remote side."""
    in_tempdir = temp_path == RUNTIME_TEMPDIR
    if temp_path and not in_tempdir:
        shutil.rmtree(temp_path, ignore_errors=True)

    def finish(value: Any) -> Any:
        if isinstance(value, File) and value.path == STDOUT_PATH:
            return result
        if isinstance(value, Staging):
            remote = type(value.remote)(value.remote.path)
            self_staged = value.local.path == value.remote.path
            if in_tempdir and self_staged and not os.path.isabs(remote.path):
                # Written inside the script's temporary directory, gone with it by
                # design (as upstream): returned as named, not checked.
                return remote
            if not remote.exists():
                raise ScriptFileNotFoundError(
                    f"script output '{remote.path}' was not written by the command; make "
                    "the command create it or leave it out of outputs="
                )
            return remote
        return value

    return map_nested_value(finish, outputs)


def script(
    command: str | list,
    inputs: Any = [],  # noqa: B006  (read only)
    outputs: Any = NULL,
    tempdir: bool = False,
    as_mount: bool = False,
    **task_options: Any,
) -> Any:
    """Run a shell command as a cached task, copying files in before and out after.

    Parameters
    ----------
    command : str or list
        The command (dedented; bash unless it starts with ``#!``), or an argv list.
    inputs : Any
        Nested values of staging pairs (``File(remote).stage(local)``) copied to their
        local paths before the command runs. They also make the call react to changes
        in the remote files.
    outputs : Any
        Nested value shaped like the result: staging pairs are copied back after the
        command and become their remote Files, a plain ``File`` stays where the command
        writes it, ``File("-")`` (the default) becomes the command's stdout bytes.
    tempdir : bool
        Run in a fresh temporary directory on the machine running the command, removed
        afterwards. Local staging paths are then relative to it, and so are relative
        remote paths: give remote files as absolute paths or URLs.
    as_mount : bool
        Ask file systems that can mount remote storage to stage through the mount.
    **task_options : Any
        Options for the job running the command (``executor``, ``memory``, ...).

    Returns
    -------
    Any
        A lazy value shaped like ``outputs``.
    """
    if outputs is NULL:
        outputs = File(STDOUT_PATH)

    parts: list[str] = []
    if tempdir:
        # Made where the script runs, at run time, and removed however it ends. (Upstream
        # made it when script() was called, so a cached call replayed a path long gone.)
        parts.append(TEMPDIR_COMMAND)

    def self_stage(value: Any) -> Any:
        # A plain output File is written in place: a staging pair with itself.
        if isinstance(value, File) and value.path != STDOUT_PATH:
            return value.stage(value.path)
        return value

    outputs = map_nested_value(self_stage, outputs)

    for value in iter_nested_value(inputs):
        if not isinstance(value, Staging):
            raise TypeError(
                f"script() inputs must be staging pairs such as File(path).stage(local), "
                f"got {type(value).__name__}: {value!r}"
            )
        parts.append(value.render_stage(as_mount))

    if isinstance(command, list):
        command = shlex.join(command)
    parts.append(get_wrapped_command(prepare_command(command)))

    parts.extend(
        value.render_unstage(as_mount)
        for value in iter_nested_value(outputs)
        if isinstance(value, Staging)
    )

    def remote_of(value: Any) -> Any:
        if isinstance(value, Staging):
            return type(value.remote)(value.remote.path)
        return value

    return _script(
        "\n".join(parts),
        map_nested_value(remote_of, inputs),
        outputs,
        task_options=task_options,
        temp_path=RUNTIME_TEMPDIR if tempdir else None,
    )
