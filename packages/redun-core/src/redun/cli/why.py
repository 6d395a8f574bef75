"""`redun why`: why jobs ran instead of being served from the cache.

``redun why JOB_ID`` explains one job, ``redun why EXEC_ID`` (or ``-``, ``~N``) every
job of an execution that ran, and ``redun why wf.py TASK [--args]`` a call that has not
run yet (a dry-run plan with the reason of each job that would run). One line per
reason; ``--format json`` prints one JSON object per line.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

import click

from redun.cli.state import get_state
from redun.errors import UsageError

if TYPE_CHECKING:
    from redun.backends.db.why import Reason
    from redun.backends.db.why_jobs import JobExplanation


def _looks_like_script(target: str) -> bool:
    return target.endswith(".py") or os.path.isfile(target)


def reason_lines(prefix: str, reasons: list[Reason]) -> list[str]:
    """``prefix: reason`` per reason, detail lines (a source diff) indented under it."""
    lines = []
    for reason in reasons:
        lines.append(f"{prefix}: {reason.text}")
        lines.extend(f"    {line}" for line in reason.lines)
    return lines


def _job_prefix(explanation: JobExplanation) -> str:
    job = explanation.job
    return f"Job {job.id[:8]} {job.task_name}({explanation.args})"


def _echo_job(explanation: JobExplanation, fmt: str) -> None:
    from redun.backends.db.why_jobs import as_records

    if fmt == "json":
        for record in as_records(explanation):
            click.echo(json.dumps(record, sort_keys=True, default=str))
        return
    if explanation.reused_from is not None:
        origin = explanation.reused_from[:8] or "unknown"
        click.echo(f"{_job_prefix(explanation)}: reused from the cache (first run by Job {origin})")
        return
    for line in reason_lines(_job_prefix(explanation), explanation.reasons):
        click.echo(line)


def _take_format(args: tuple[str, ...], fmt: str) -> tuple[tuple[str, ...], str]:
    """``--format X`` given after a job or execution id (options after a script's TASK
    belong to the task, so the command does not parse them itself)."""
    rest = list(args)
    for i, arg in enumerate(rest):
        if arg == "--format" and i + 1 < len(rest):
            fmt = rest[i + 1]
            del rest[i : i + 2]
            break
        if arg.startswith("--format="):
            fmt = arg.split("=", 1)[1]
            del rest[i]
            break
    if fmt not in ("text", "json"):
        raise UsageError(f"--format {fmt!r}: expected text or json")
    return tuple(rest), fmt


@click.command(
    "why",
    context_settings={
        "ignore_unknown_options": True,
        "allow_interspersed_args": False,
        "help_option_names": ["-h", "--help"],
    },
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.argument("target", metavar="JOB_ID|EXEC_ID|-|~N|SCRIPT")
@click.argument("task_args", nargs=-1, type=click.UNPROCESSED, metavar="[TASK [ARGS]...]")
def why_command(target: str, task_args: tuple[str, ...], fmt: str) -> None:
    """Say why jobs ran instead of being reused from the cache, one line per reason."""
    if _looks_like_script(target) and task_args:
        from redun.cli.plan import why_plan

        why_plan(target, task_args, fmt)
        return
    task_args, fmt = _take_format(task_args, fmt)
    if task_args:
        raise UsageError(f"unexpected arguments after {target!r}: {' '.join(task_args)}")
    backend = get_state().backend()
    transaction = getattr(backend, "transaction", None)
    if transaction is None:
        raise UsageError("`redun why` needs a SQL database backend; check [backend] db_uri")
    with transaction() as conn:
        _explain_recorded(conn, target, fmt)


def _explain_recorded(conn: Any, target: str, fmt: str) -> None:
    from redun.backends.db import queries
    from redun.backends.db.why_jobs import explain_execution, explain_job
    from redun.cli.log import LogView
    from redun.cli.why_values import inspect_value

    kind, full_id = queries.resolve_id(conn, target)
    view = LogView(conn, fmt, detail=False)
    if kind == "Job":
        job = queries.get_jobs(conn, [full_id])[full_id]
        args = view.call_args([job.call_hash]).get(job.call_hash, "") if job.call_hash else ""
        _echo_job(explain_job(conn, job, args, inspect_value), fmt)
        return
    if kind != "Execution":
        raise UsageError(f"{target}: {kind} {full_id[:8]} is not a job or an execution")
    explanations, reused = explain_execution(conn, full_id, inspect_value)
    args = view.call_args([e.job.call_hash for e in explanations if e.job.call_hash])
    for explanation in explanations:
        explanation.args = args.get(explanation.job.call_hash or "", "")
    if fmt == "text":
        ran = len(explanations)
        click.echo(f"Exec {full_id[:8]}: {ran} job{'s' if ran != 1 else ''} ran, {reused} reused")
    for explanation in explanations:
        _echo_job(explanation, fmt)
