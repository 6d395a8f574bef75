"""``redun oneshot MODULE TASK``: run one task body outside any scheduler.

This is the far end of every remote executor: a container (AWS Batch, Kubernetes) or a
process receives a code tarball, a pickled ``(args, kwargs)`` and paths for the result
and the error, runs the task's function once, and writes what happened. The calling
scheduler reads those files back, so a result that is itself an expression is written
as is and reduced by the caller, exactly as for a local job.

Array jobs run many calls from one command: the input holds a list of ``args`` and a
list of ``kwargs``, ``-o``/``-e`` name JSON files that list one path per rank, and the
rank comes from ``--array-rank-env`` or the batch system's usual variable.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import shlex
import sys
import tarfile
import traceback
from typing import IO, Any

import click

from redun.errors import RedunError, UsageError

logger = logging.getLogger("redun")

# Where AWS Batch, Kubernetes indexed jobs and GCP Batch put an array job's rank.
ARRAY_RANK_VARS = ("AWS_BATCH_JOB_ARRAY_INDEX", "JOB_COMPLETION_INDEX", "BATCH_TASK_INDEX")


class OneshotFailed(RedunError):
    """The task body raised; its error and traceback are in the error file, if one was given."""


@click.command(
    "oneshot",
    context_settings={
        "ignore_unknown_options": True,
        "allow_extra_args": True,
        # Executors write `oneshot MODULE --input .. --output .. TASK` (upstream's order);
        # task flags that clash with these options can follow a `--`.
        "allow_interspersed_args": True,
        "help_option_names": ["-h", "--help"],
    },
)
@click.argument("module_name", metavar="MODULE")
@click.argument("task_name", metavar="TASK")
@click.argument("task_args", nargs=-1, type=click.UNPROCESSED)
@click.option("--no-cache", is_flag=True, help="Run even if the output file already exists.")
@click.option("-c", "--code", metavar="TAR", help="Code package to extract into the cwd.")
@click.option("-i", "--input", "input_path", metavar="FILE", help="Pickled (args, kwargs).")
@click.option("-o", "--output", "output_path", metavar="FILE", help="Where to pickle the result.")
@click.option("-e", "--error", "error_path", metavar="FILE", help="Where to pickle an error.")
@click.option("--array-job", is_flag=True, help="Run this process's rank of an array job.")
@click.option("--array-rank-env", metavar="VAR", help="Environment variable holding the rank.")
@click.option("-p", "--import-path", multiple=True, metavar="PATH", help="Extra import path.")
@click.option("--script", is_flag=True, help="TASK is a script task: run the script it returns.")
def oneshot_command(
    module_name: str,
    task_name: str,
    task_args: tuple[str, ...],
    no_cache: bool,
    code: str | None,
    input_path: str | None,
    output_path: str | None,
    error_path: str | None,
    array_job: bool,
    array_rank_env: str | None,
    import_path: tuple[str, ...],
    script: bool = False,
) -> Any:
    """Run TASK's body from MODULE once: read arguments, write the result or the error."""
    from redun.cli.run import configure_cli_logging

    configure_cli_logging()
    rank = None
    if array_job:
        rank = get_array_rank(array_rank_env)
        if error_path:
            error_path = _ranked_path(error_path, rank, "--error")
    if error_path and os.path.exists(error_path):
        # A stale error from an earlier attempt must never be mistaken for this one's.
        os.remove(error_path)

    try:
        # Returned for in-process callers (RedunClient.execute), as upstream's oneshot.
        return _run_oneshot(
            module_name,
            task_name,
            task_args,
            no_cache=no_cache,
            code=code,
            input_path=input_path,
            output_path=_ranked_path(output_path, rank, "--output") if output_path else None,
            rank=rank,
            import_path=import_path,
            script=script,
        )
    except RedunError:
        raise
    except Exception as error:
        lines = traceback.format_exception(error)
        sys.stderr.write("".join(lines))
        if error_path:
            write_error(error_path, error, lines)
        detail = " ".join(str(error).split())
        raise OneshotFailed(f"task {task_name} failed: {type(error).__name__}: {detail}") from error


def _run_oneshot(
    module_name: str,
    task_name: str,
    task_args: tuple[str, ...],
    no_cache: bool,
    code: str | None,
    input_path: str | None,
    output_path: str | None,
    rank: int | None,
    import_path: tuple[str, ...],
    script: bool = False,
) -> Any:
    from redun.cli.args import format_task_help, format_task_info, parse_task_args
    from redun.cli.script_import import find_task, import_script, list_tasks
    from redun.import_paths import add_import_path
    from redun.pickling import pickle_dumps

    if code:
        extract_code_package(code, ".")
    for path in import_path:
        add_import_path(path)
    module = import_script(module_name)
    if task_name == "help":
        names = "".join(f"  {task.fullname}\n" for task in list_tasks(module))
        click.echo("Tasks available:\n" + names, nl=False)
        return
    task = find_task(module, task_name, module_name)

    if input_path:
        args, kwargs = read_input(input_path, rank)
    else:
        parsed = parse_task_args(task, task_args)
        if parsed.command == "help":
            click.echo(format_task_help(task, prog=f"redun oneshot {module_name} {task_name}"))
            return
        if parsed.command == "info":
            click.echo(format_task_info(task), nl=False)
            return
        args, kwargs = parsed.args, parsed.kwargs

    logger.info("redun :: version %s", _version())
    logger.info("oneshot:  redun %s", shlex.join(sys.argv[1:]))

    if output_path and os.path.exists(output_path):
        if not no_cache and _reusable(output_path):
            logger.info("Existing output found in %s", output_path)
            return
        os.remove(output_path)

    if script:
        # A script task's body returns its script; the result is what the script prints.
        from redun.scripting import exec_script, get_task_command

        result = exec_script(get_task_command(task, args, kwargs))
    else:
        result = task.func(*args, **kwargs)
    if output_path:
        with _open(output_path, "wb") as out:
            out.write(pickle_dumps(result))
    else:
        click.echo(result)
    return result


def get_array_rank(env_var: str | None = None) -> int:
    """This process's rank in an array job, from ``env_var`` or a batch system's variable."""
    names = (env_var,) if env_var else ARRAY_RANK_VARS
    for name in names:
        value = os.environ.get(name)
        if value is not None:
            try:
                return int(value)
            except ValueError:
                raise UsageError(f"array rank ${name}={value!r} is not an integer") from None
    raise UsageError(f"--array-job needs the rank in ${' or $'.join(names)}, which is not set")


def _ranked_path(spec_path: str, rank: int | None, option: str) -> str:
    """For array jobs ``spec_path`` is a JSON list of paths; pick this rank's."""
    if rank is None:
        return spec_path
    with _open(spec_path, "rb") as infile:
        paths = json.load(infile)
    try:
        return paths[rank]
    except (IndexError, TypeError, KeyError):
        raise UsageError(f"{option} list '{spec_path}' has no entry for rank {rank}") from None


def read_input(path: str, rank: int | None = None) -> tuple[tuple, dict]:
    """``(args, kwargs)`` from an input pickle; for an array job, this rank's pair."""
    with _open(path, "rb") as infile:
        args, kwargs = pickle.load(infile)
    if rank is not None:
        args, kwargs = args[rank], kwargs[rank]
    return tuple(args), dict(kwargs)


def write_error(path: str, error: BaseException, lines: list[str]) -> None:
    """Pickle ``(error, Traceback)`` as upstream's oneshot does, so a job image with either
    engine installed reports its error to either scheduler; an unpicklable error is recorded
    by its repr. ``lines`` (the formatted traceback) are kept as the Traceback's logs only
    when the frames cannot be pickled."""
    from redun.pickling import pickle_dumps
    from redun.scheduler.errors import Traceback

    trace = Traceback.from_error(error, trim_frames=False)
    try:
        data = pickle_dumps((error, trace))
    except Exception:
        stand_in = Exception(repr(error))
        data = pickle_dumps((stand_in, Traceback(stand_in, [], list(lines))))
    with _open(path, "wb") as out:
        out.write(data)


def extract_code_package(tar_path: str, dest_dir: str) -> None:
    """Unpack the user's code tarball (any compression) into ``dest_dir``."""
    with _open(tar_path, "rb") as infile, tarfile.open(fileobj=infile, mode="r|*") as tar:
        tar.extractall(dest_dir, filter="data")


def _reusable(output_path: str) -> bool:
    """Whether an earlier attempt's output still holds valid values (files unchanged)."""
    try:
        with _open(output_path, "rb") as infile:
            result = pickle.load(infile)
    except Exception:
        return False
    try:
        from redun.value import get_type_registry
    except ImportError:
        return True
    return get_type_registry().is_valid_nested(result)


def _open(path: str, mode: str) -> IO[Any]:
    if "://" in path:
        try:
            from redun.file import open_file  # type: ignore[attr-defined]
        except ImportError:
            raise UsageError(f"cannot open '{path}': no file system for remote URLs") from None
        return open_file(path, mode)
    if "w" in mode:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    return open(path, mode)


def _version() -> str:
    from redun._version import __version__

    return __version__
