"""``redun run SCRIPT TASK [TASK_ARGS]...``: run one task of a workflow script.

The command imports the script, finds the task, turns the remaining arguments into a
call through the task's signature (``redun.cli.args``), and hands the expression to a
scheduler built from the repository's config. Everything after TASK belongs to the
task, so redun's own options must come before SCRIPT.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import sys
import uuid
from typing import TYPE_CHECKING, Any

import click

from redun.errors import Interrupted, RedunError, UsageError
from redun.log_output import configure_cli_logging
from redun.text_format import format_result

__all__ = ["configure_cli_logging"]

if TYPE_CHECKING:
    from redun.task import Task

logger = logging.getLogger("redun")


class WorkflowFailed(RedunError):
    """The workflow's root task raised; the scheduler has already logged its traceback."""


class DryRunIncomplete(RedunError):
    """``--dryrun --exit-code`` found jobs that would run (exit 1, as upstream's dry run)."""


@click.command(
    "run",
    context_settings={
        "ignore_unknown_options": True,
        "allow_extra_args": True,
        "allow_interspersed_args": False,
        "help_option_names": ["-h", "--help"],
    },
)
@click.argument("script")
@click.argument("task_name", metavar="TASK", required=False)
@click.argument("task_args", nargs=-1, type=click.UNPROCESSED)
@click.option("--no-cache", is_flag=True, help="Run every job, ignoring cached results.")
@click.option("--no-prov", is_flag=True, help="Do not record provenance for the root task.")
@click.option(
    "--dryrun",
    is_flag=True,
    help="Run nothing: replay the cache as far as it goes and print the plan.",
)
@click.option(
    "--exit-code",
    is_flag=True,
    help="With --dryrun: exit with status 1 if any job would run (for CI).",
)
@click.option("--pdb", "use_pdb", is_flag=True, help="Start the debugger on a task error.")
@click.option(
    "--keep-going",
    is_flag=True,
    help="After a task fails, let every independent branch finish before failing.",
)
@click.option(
    "--interrupt-grace",
    type=float,
    metavar="SECONDS",
    help="After Ctrl-C, how long running jobs may finish (and be recorded) before they "
    "are marked interrupted; a second Ctrl-C stops waiting. [default: [scheduler] "
    "interrupt_grace, else 10]",
)
@click.option("--rerun", is_flag=True, help="TASK is a job or execution id to run again.")
@click.option("-o", "--option", "options", multiple=True, metavar="K=V", help="Root task option.")
@click.option("-t", "--tag", "tags", multiple=True, metavar="K=V", help="Execution tag (JSON).")
@click.option("-p", "--project", help="Project tag (default: the task's namespace).")
@click.option("--doc", help="Documentation tag for the execution.")
@click.option("-u", "--user", help="User tag (default: $REDUN_USER, else the login name).")
@click.option("--exclude-user", multiple=True, metavar="aws|gcp", help="Skip a cloud user tag.")
@click.option("-i", "--input", "input_path", metavar="PICKLE", help="Pickled (args, kwargs).")
@click.option("--execution-id", metavar="UUID", help="Id for the new execution.")
@click.option(
    "--context",
    "context_updates",
    multiple=True,
    metavar="K.PATH=V",
    help="Set one (nested) context value.",
)
@click.option("--context-file", metavar="JSON", help="Context for the execution.")
@click.pass_context
def run_command(
    ctx: click.Context,
    script: str,
    task_name: str | None,
    task_args: tuple[str, ...],
    no_cache: bool,
    no_prov: bool,
    dryrun: bool,
    exit_code: bool,
    use_pdb: bool,
    keep_going: bool,
    interrupt_grace: float | None,
    rerun: bool,
    options: tuple[str, ...],
    tags: tuple[str, ...],
    project: str | None,
    doc: str | None,
    user: str | None,
    exclude_user: tuple[str, ...],
    input_path: str | None,
    execution_id: str | None,
    context_updates: tuple[str, ...],
    context_file: str | None,
) -> None:
    """Run TASK from SCRIPT (a .py path or a module); TASK_ARGS are the task's --flags.

    `redun run wf.py TASK --help` lists the task's flags; `TASK info` shows its source.
    """
    from redun.cli.args import (
        UnknownTaskFlag,
        check_required,
        format_task_help,
        format_task_info,
        parse_task_args,
    )
    from redun.cli.script_import import find_task, import_script, list_tasks

    configure_cli_logging()
    if task_name is not None and (task_name == "--rerun" or task_name.startswith("--rerun=")):
        # `redun run SCRIPT --rerun ID [flags]` (upstream's spelling): ID stands for TASK.
        rerun = True
        if task_name.startswith("--rerun="):
            task_name = task_name.split("=", 1)[1]
        else:
            task_name, task_args = (task_args[0], task_args[1:]) if task_args else (None, ())
    recorded: tuple[tuple, dict] | None = None
    if rerun:
        task_name, recorded_args, recorded_kwargs = _rerun_target(task_name)
        recorded = (recorded_args, recorded_kwargs)
    if execution_id is not None:
        _check_uuid(execution_id)

    module = import_script(script)
    _warn_missing_namespaces(list_tasks(module), script)
    if task_name is None or task_name == "help":
        names = [task.fullname for task in list_tasks(module)]
        if task_name is None:
            raise UsageError(f"missing TASK (tasks in {script}: {', '.join(names) or 'none'})")
        click.echo("Tasks available:\n" + "".join(f"  {name}\n" for name in names), nl=False)
        return
    task = find_task(module, task_name, script)

    late = _late_run_options(ctx, task)
    if late is not None:
        # Upstream accepts `redun run` options anywhere: rerun with them moved before SCRIPT.
        ctx.params = late
        return ctx.invoke(ctx.command.callback, **late)

    try:
        parsed = parse_task_args(task, task_args)
    except UnknownTaskFlag as exc:
        _explain_misplaced_option(ctx, exc)
        raise
    if parsed.command == "help":
        click.echo(format_task_help(task, prog=f"redun run {script} {task_name}"), nl=False)
        return
    if parsed.command == "info":
        click.echo(format_task_info(task), nl=False)
        return

    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    if recorded is not None:
        args, kwargs = list(recorded[0]), dict(recorded[1])
    if input_path:
        args, kwargs = load_input_pickle(input_path)
    args = parsed.args + args[len(parsed.args) :] if parsed.args else args
    kwargs.update(parsed.kwargs)
    check_required(task, args, kwargs)

    task_options = parse_key_values(options, "--option")
    if no_prov:
        task_options["prov"] = False
    root: Task = task.options(**task_options) if task_options else task

    from redun.scheduler.execution_tags import default_execution_tags

    execution_tags = default_execution_tags(
        user=user, project=project or task.namespace or None, doc=doc, exclude_users=exclude_user
    )
    execution_tags.extend(parse_key_value(tag, "--tag") for tag in tags)
    context = parse_context(context_file, context_updates)

    result = _execute(
        root,
        args,
        kwargs,
        argv=_exec_argv(script, task_name, task_args),
        dryrun=dryrun,
        cache=not no_cache,
        tags=execution_tags,
        context=context or None,
        execution_id=execution_id,
        use_pdb=use_pdb,
        keep_going=keep_going,
        exit_code=exit_code,
        interrupt_grace=interrupt_grace,
    )
    for handler in logging.getLogger("redun").handlers:
        handler.flush()
    if result is not None:
        click.echo(format_result(result))
    # In-process callers (RedunClient.execute) get the workflow's result.
    return result


def _rerun_target(id_prefix: str | None) -> tuple[str, tuple, dict]:
    """``--rerun ID``: the recorded task fullname and arguments (flags given after it win)."""
    from redun.cli.rerun import recorded_call
    from redun.cli.state import get_state

    if not id_prefix:
        raise UsageError("--rerun needs a job or execution id in place of TASK")
    return recorded_call(get_state().backend(), id_prefix)


def _execute(
    task: Task,
    args: list[Any],
    kwargs: dict[str, Any],
    argv: list[str],
    use_pdb: bool,
    keep_going: bool = False,
    exit_code: bool = False,
    on_plan: Any = None,
    interrupt_grace: float | None = None,
    prepare: Any = None,
    **run_kwargs: Any,
) -> Any:
    """Build the scheduler from the repository's config and run ``task(*args, **kwargs)``."""
    from redun.cli.plan import report_plan
    from redun.cli.run_summary import log_savings
    from redun.cli.setup import build_scheduler
    from redun.cli.state import get_state
    from redun.scheduler import DryRunResult
    from redun.scheduler.interrupt import ExecutionInterrupted

    state = get_state()
    config = state.config()
    logger.info("redun :: version %s", _version())
    logger.info("config dir: %s", state.config_dir())
    scheduler = build_scheduler(config, state.setup_args)
    state.scheduler = scheduler
    scheduler.keep_going = keep_going
    if prepare is not None:
        prepare(scheduler)
    db_uri = config.get("backend", {}).get("db_uri", "sqlite")
    # A local SQLite repository is ours to upgrade; a shared database is not (upstream too).
    scheduler.load(migrate=True if db_uri.startswith("sqlite") else None)
    if interrupt_grace is not None:
        scheduler.interrupt_grace = interrupt_grace
    try:
        try:
            result = scheduler.run(task(*args, **kwargs), exec_argv=argv, **run_kwargs)
        except ExecutionInterrupted as exc:
            raise Interrupted(str(exc)) from None
        except DryRunResult:
            # Upstream exits 1 here; the plan is the answer now (--exit-code keeps the 1).
            report_plan(scheduler, complete=False, exit_code=exit_code, on_plan=on_plan)
            return None
        except RedunError:
            raise
        except Exception as exc:
            if use_pdb:
                _post_mortem(exc)
            detail = " ".join(str(exc).split())
            message = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
            where = getattr(exc, "__redun_job__", None)
            if where:
                message = f"{message} (in job {where})"
            raise WorkflowFailed(message) from exc
        if run_kwargs.get("dryrun"):
            report_plan(scheduler, complete=True, on_plan=on_plan)
        else:
            log_savings(scheduler)
        return result
    finally:
        # Folds the WAL into redun.db: between runs the file alone is the whole record.
        checkpoint_record(scheduler)


def checkpoint_record(scheduler: Any) -> None:
    """Flush the run's records and checkpoint a SQLite WAL; the backend stays usable."""
    checkpoint = getattr(scheduler.backend, "checkpoint", None)
    if checkpoint is not None:
        try:
            checkpoint()
        except RedunError as error:  # the run's own flush already reported a failed write
            logger.warning("could not checkpoint the database: %s", error)


def _warn_missing_namespaces(tasks: list[Task], script: str) -> None:
    """Upstream warns that tasks will need a namespace; so do we, naming them."""
    bare = [task.name for task in tasks if not task.namespace]
    if bare:
        logger.warning(
            "tasks without a namespace (namespaces will be required; set "
            "@task(namespace=...) or a module-level redun_namespace): %s",
            ", ".join(f"{script}:{name}" for name in bare),
        )


def _late_run_options(ctx: click.Context, task: Task) -> dict[str, Any] | None:
    """The command's parameters with the `redun run` options found after TASK applied,
    or None when there are none.

    Upstream redun takes its run options anywhere on the line (`redun run wf.py main
    --input args.pkl`). A flag the task itself defines stays the task's.
    """
    from redun.cli.args import get_task_arguments

    task_flags = set()
    for argument in get_task_arguments(task):
        task_flags.update({argument.flag, "--" + argument.name})
    by_opt = {
        opt: param
        for param in ctx.command.params
        if isinstance(param, click.Option)
        for opt in param.opts
    }
    original = list(ctx.params.get("task_args") or ())
    moved: list[str] = []
    kept: list[str] = []
    i = 0
    while i < len(original):
        token = original[i]
        name = token.partition("=")[0]
        param = by_opt.get(name)
        if param is None or name in task_flags or not token.startswith("-"):
            kept.append(token)
            i += 1
            continue
        moved.append(token)
        if not param.is_flag and "=" not in token and i + 1 < len(original):
            moved.append(original[i + 1])
            i += 1
        i += 1
    if not moved:
        return None
    sub = ctx.command.make_context(ctx.info_name, [*moved, ctx.params["script"]], parent=ctx.parent)
    params = dict(ctx.params)
    for name, value in sub.params.items():
        if sub.get_parameter_source(name) != click.core.ParameterSource.COMMANDLINE:
            continue
        if isinstance(value, tuple) and name != "task_args":
            params[name] = tuple(params.get(name) or ()) + value
        else:
            params[name] = value
    params["task_args"] = tuple(kept)
    return params


def _explain_misplaced_option(ctx: click.Context, exc: Exception) -> None:
    """Everything after TASK is the task's: say so when a run option landed there."""
    flag = getattr(exc, "flag", "")
    for param in ctx.command.params:
        if flag in getattr(param, "opts", ()):
            raise UsageError(
                f"{flag} is a `redun run` option: put it before SCRIPT "
                f"(arguments after TASK go to the task); {exc}"
            ) from exc


def _post_mortem(exc: BaseException) -> None:
    import pdb

    click.echo("Uncaught exception. Entering postmortem debugging.", err=True)
    pdb.post_mortem(exc.__traceback__)


def _exec_argv(script: str, task_name: str, task_args: tuple[str, ...]) -> list[str]:
    """The command line recorded on the execution, as the user typed it when we can tell."""
    from redun.cli.client import ARGV_KEY

    context = click.get_current_context(silent=True)
    given = context.meta.get(ARGV_KEY) if context is not None else None
    program, *argv = given or sys.argv
    if (
        (given or os.path.basename(program).startswith("redun"))
        and "run" in argv
        and script in argv
    ):
        return ["redun", *argv]
    return ["redun", "run", script, task_name, *task_args]


def _check_uuid(execution_id: str) -> None:
    try:
        uuid.UUID(execution_id)
    except ValueError:
        raise UsageError(f"--execution-id '{execution_id}' is not a UUID") from None


def _version() -> str:
    from redun._version import __version__

    return __version__


def parse_key_value(text: str, option: str) -> tuple[str, Any]:
    """Split ``key=value`` and decode the value as upstream tag values are decoded.

    Empty means None; text starting like JSON (``[``, ``{``, ``"``) must be JSON; then
    int, float, ``true``/``false``/``null``; anything else stays a string, so
    ``-t env=prod`` needs no quoting.
    """
    key, sep, raw = text.partition("=")
    if not sep or not key:
        raise UsageError(f"invalid {option} '{text}': expected key=value")
    return key, _decode_value(raw, option)


def _decode_value(raw: str, option: str) -> Any:
    if not raw:
        return None
    if raw[0] in '[{"':
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            raise UsageError(f"invalid JSON in {option} value {raw!r}: {exc.msg}") from None
    for convert in (int, float):
        try:
            return convert(raw)
        except ValueError:
            pass
    return {"true": True, "false": False, "null": None}.get(raw, raw)


def parse_key_values(items: tuple[str, ...], option: str) -> dict[str, Any]:
    return dict(parse_key_value(item, option) for item in items)


def parse_context(context_file: str | None, updates: tuple[str, ...]) -> dict[str, Any]:
    """The execution context: ``--context-file`` JSON, then each ``--context a.b=v`` on top."""
    context: dict[str, Any] = {}
    if context_file:
        try:
            with open(context_file) as infile:
                context = json.load(infile)
        except OSError as exc:
            reason = exc.strerror
            raise UsageError(f"cannot read --context-file '{context_file}': {reason}") from None
        except json.JSONDecodeError as exc:
            raise UsageError(f"--context-file '{context_file}' is not JSON: {exc.msg}") from None
        if not isinstance(context, dict):
            raise UsageError(f"--context-file '{context_file}' must hold a JSON object")
    for item in updates:
        path, value = parse_key_value(item, "--context")
        node = context
        *parents, leaf = path.split(".")
        for part in parents:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        node[leaf] = value
    return context


def load_input_pickle(path: str) -> tuple[list[Any], dict[str, Any]]:
    """``(args, kwargs)`` from an ``-i`` pickle; flags given on the command line win."""
    try:
        with open(path, "rb") as infile:
            loaded = pickle.load(infile)
    except OSError as exc:
        raise UsageError(f"cannot read --input '{path}': {exc.strerror}") from None
    except Exception as exc:
        raise UsageError(f"--input '{path}' is not a readable pickle: {exc}") from None
    try:
        args, kwargs = loaded
        return list(args), dict(kwargs)
    except (TypeError, ValueError):
        raise UsageError(f"--input '{path}' must pickle a pair (args, kwargs)") from None
