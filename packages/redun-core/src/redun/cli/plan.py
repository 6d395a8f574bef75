"""The dry-run plan: what `redun run --dryrun` and `redun why wf.py TASK` print.

A dry run walks the cache through the dynamic graph as far as recorded results allow
(``redun.scheduler.dryrun_plan``). The plan lists the jobs that would run, grouped by
task with counts and the reasons `redun why` gives, the jobs that would be reused, and
where the plan stops being knowable: calls waiting on results of jobs that must run first.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from redun.backends.db.why import Reason
    from redun.scheduler.dryrun_plan import DryRunState
    from redun.scheduler.job import Job

# Jobs explained per task; the rest of a big fan-out is counted, not compared one by one.
EXPLAIN_PER_TASK = 50


@dataclass
class PlannedJob:
    job: Job
    call: str
    reasons: list[Reason] = field(default_factory=list)


@dataclass
class Plan:
    would_run: list[PlannedJob]
    state: DryRunState
    complete: bool

    @property
    def run_count(self) -> int:
        return len(self.would_run)


def _summary(reason: Reason) -> str:
    """Reasons of the same kind on one task, worded once for the group."""
    if reason.kind == "argument":
        return f"argument {reason.detail['argument']!r} changed"
    if reason.kind == "context":
        return "context changed: " + ", ".join(reason.detail.get("keys", {}))
    return reason.text


def explain_jobs(scheduler: Any, jobs: list[Job]) -> list[PlannedJob]:
    """Reasons for each job that would run (up to EXPLAIN_PER_TASK per task)."""
    from redun.backends.db.why import Reason, explain_call
    from redun.cli.why_values import inspect_value, live_call
    from redun.scheduler.report import format_job_call
    from redun.task import CacheScope

    registry, tasks = scheduler.type_registry, scheduler.task_registry

    def current_hash(fullname: str) -> str | None:
        task = tasks.get(fullname)
        return task.hash if task is not None else None

    planned = [PlannedJob(job, format_job_call(job)) for job in jobs]
    transaction = getattr(scheduler.backend, "transaction", None)
    if transaction is None:
        return planned
    seen: Counter = Counter()
    with transaction() as conn:
        for entry in planned:
            job = entry.job
            seen[job.task_name] += 1
            if seen[job.task_name] > EXPLAIN_PER_TASK or job.args_hash is None:
                continue
            scope = job.options.get("cache_scope", CacheScope.BACKEND)
            if scope != CacheScope.BACKEND or not scheduler.use_cache:
                shown = getattr(scope, "name", scope) if scheduler.use_cache else "--no-cache"
                text = f"results are not taken from the repository for this call ({shown})"
                entry.reasons = [Reason("cache_off", text)]
                continue
            facts = live_call(job.task, job.args_hash, job.args, job.kwargs, job._context, registry)
            entry.reasons, _ = explain_call(
                conn, facts, current_hash=current_hash, inspect=inspect_value
            )
    return planned


def build_plan(scheduler: Any, complete: bool) -> Plan:
    from redun.scheduler.dryrun_plan import dryrun_state

    state = dryrun_state(scheduler)
    return Plan(explain_jobs(scheduler, state.would_run), state, complete)


def _jobs(n: int) -> str:
    return f"{n:,} job{'s' if n != 1 else ''}"


def plan_lines(plan: Plan) -> list[str]:
    state = plan.state
    reused = sum(state.reused.values())
    lines = [f"Plan: {_jobs(plan.run_count)} would run, {_jobs(reused)} would be reused."]
    groups: dict[str, list[PlannedJob]] = {}
    for entry in plan.would_run:
        groups.setdefault(entry.job.task_name, []).append(entry)
    if groups:
        lines.append("Would run:")
        width = max(len(name) for name in groups)
        for name, entries in groups.items():
            lines.append(f"  {name:<{width}}  {_jobs(len(entries))}")
            reasons: Counter = Counter()
            examples: dict[str, str] = {}
            for entry in entries:
                for reason in entry.reasons:
                    key = _summary(reason)
                    reasons[key] += 1
                    examples.setdefault(key, reason.text)
            for key, count in reasons.most_common():
                example = examples[key]
                shown = key if example == key else f"{key} (e.g. {example.split(': ', 1)[-1]})"
                lines.append(f"      {count:,} x {shown}")
            unexplained = len(entries) - sum(1 for e in entries if e.reasons)
            if unexplained:
                lines.append(f"      {unexplained:,} not compared with the record one by one")
    if state.reused:
        lines.append("Would be reused:")
        width = max(len(name) for name in state.reused)
        for name, count in sorted(state.reused.items()):
            lines.append(f"  {name:<{width}}  {_jobs(count)}")
    if not plan.complete:
        lines.append("Unknown until the jobs above run:")
        if state.waiting:
            waiting = ", ".join(f"{name} ({n:,})" for name, n in sorted(state.waiting.items()))
            lines.append(f"  calls waiting on their results: {waiting}")
        lines.append("  and any jobs the jobs above start (their children are known only then)")
    return lines


def report_plan(
    scheduler: Any, complete: bool, exit_code: bool = False, on_plan: Any = None
) -> Plan:
    """Log the plan of the dry run just finished; with ``exit_code``, a plan in which
    something would run raises ``DryRunIncomplete`` (exit status 1, for CI).
    ``on_plan`` takes the plan instead of the log (`redun why`)."""
    import logging

    from redun.cli.run import DryRunIncomplete

    logger = logging.getLogger("redun")
    plan = build_plan(scheduler, complete)
    if on_plan is not None:
        on_plan(plan)
        return plan
    for line in plan_lines(plan):
        logger.info(line)
    if exit_code and plan.run_count:
        raise DryRunIncomplete(f"dry run: {_jobs(plan.run_count)} would run (--exit-code)")
    return plan


def why_plan(script: str, task_args: tuple[str, ...], fmt: str) -> None:
    """`redun why wf.py TASK [--args]`: a dry run, then each would-run job's reasons."""
    import json
    import logging

    import click

    from redun.cli.args import check_required, parse_task_args
    from redun.cli.run import _exec_argv, _execute
    from redun.cli.script_import import find_task, import_script
    from redun.errors import UsageError

    if not task_args:
        raise UsageError(f"missing TASK after {script}")
    task_name, rest = task_args[0], task_args[1:]
    task = find_task(import_script(script), task_name, script)
    parsed = parse_task_args(task, rest)
    if parsed.command is not None:
        hint = f"redun run {script} {task_name} {parsed.command}"
        raise UsageError(f"`redun why` cannot show {parsed.command}; use `{hint}`")
    check_required(task, parsed.args, parsed.kwargs)
    captured: list[Plan] = []
    logger = logging.getLogger("redun")
    level = logger.level
    logger.setLevel(logging.WARNING)  # the dry run's job lines are not the answer here
    try:
        _execute(
            task,
            list(parsed.args),
            dict(parsed.kwargs),
            argv=_exec_argv(script, task_name, rest),
            use_pdb=False,
            dryrun=True,
            on_plan=captured.append,
            prepare=_read_only,
        )
    finally:
        logger.setLevel(level)
    plan = captured[0]
    for entry in plan.would_run:
        if fmt == "json":
            for reason in entry.reasons:
                record = {"task_name": entry.job.task_name, "call": entry.call, **reason.as_dict()}
                click.echo(json.dumps(record, sort_keys=True, default=str))
            continue
        from redun.cli.why import reason_lines

        for line in reason_lines(entry.call, entry.reasons or _unexplained()):
            click.echo(line)
    reused = sum(plan.state.reused.values())
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "kind": "summary",
                    "would_run": plan.run_count,
                    "reused": reused,
                    "complete": plan.complete,
                    "waiting": dict(plan.state.waiting),
                },
                sort_keys=True,
            )
        )
        return
    click.echo(f"{_jobs(plan.run_count)} would run, {_jobs(reused)} would be reused")
    if not plan.complete:
        click.echo("beyond these, the plan is unknown until they run (see `redun run --dryrun`)")


def _unexplained() -> list[Reason]:
    from redun.backends.db.why import Reason

    return [Reason("unexplained", "not compared with the record (one of many such jobs)")]


class _NoWrites:
    """The repository as `redun why`'s dry run sees it: reads pass through, writes are
    dropped (asking why must not add an execution to the record)."""

    def __init__(self, backend: Any) -> None:
        self._backend = backend

    def write(self, rows: Any) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self._backend, name)


def _read_only(scheduler: Any) -> None:
    scheduler.recorder.backend = _NoWrites(scheduler.recorder.backend)
