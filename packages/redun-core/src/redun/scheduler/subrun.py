"""subrun: evaluate a whole subtree in a child scheduler on another executor.

The child scheduler (for example in a worker process, or one big remote node) records
into the same repository and extends the parent's execution, so the job tree stitches
together. Its cache entry is only reused by the ultimate (shallow) check: the child
itself re-checks the subtree.
"""

from __future__ import annotations

import pprint
import sys
from typing import TYPE_CHECKING, Any

from redun.expression import QuotedExpression, quote
from redun.promise import Promise
from redun.scheduler.evaluation import iter_task_expressions
from redun.scheduler.job_info import JobInfo
from redun.scheduler.report import trim
from redun.task import get_task_registry, scheduler_task, task

if TYPE_CHECKING:
    from redun.expression import SchedulerExpression
    from redun.scheduler.job import Job
    from redun.scheduler.scheduler import Scheduler


def _modules_of(expr: Any) -> list[tuple[str, str | None]]:
    """(module name, file path) of every task the expression calls, for the child to import."""
    registry = get_task_registry()
    modules: dict[str, str | None] = {}
    for call in iter_task_expressions(expr):
        found = registry.get(call.task_name)
        if found is None:
            continue
        name = found.load_module
        module = sys.modules.get(name)
        modules[name] = getattr(module, "__file__", None)
    return list(modules.items())


@task(namespace="redun", name="subrun_with_exported_options", version="1")
def _with_exported_options(expr: QuotedExpression) -> Any:
    """Evaluate ``expr`` under a job that exports the options the subrun's caller exported,
    so they reach the child scheduler's jobs as they would have reached local ones."""
    return expr.eval()


@task(namespace="redun", name="subrun_root_task", version="2", check_valid="shallow")
def subrun_root_task(
    expr: QuotedExpression,
    config: dict,
    load_modules: list,
    run_config: dict,
    job_info: JobInfo = JobInfo(),
) -> Any:
    """Run ``expr`` in a new scheduler inside this job (see ``subrun``)."""
    from redun.executors.process_worker import import_task_module
    from redun.scheduler.scheduler import Scheduler

    for module_name, module_path in load_modules:
        import_task_module(module_name, module_path)
    from redun.config import Config

    scheduler = Scheduler(config=Config.from_dict(config, config_dir=run_config.get("config_dir")))
    scheduler.load()
    root = expr.eval()
    exported = run_config.get("export_options")
    if exported:
        root = _with_exported_options.export_options(**exported)(quote(root))
    try:
        outcome = scheduler.extend_run(
            root,
            parent_job_id=None if run_config.get("new_execution") else job_info.job_id,
            execution_id=None if run_config.get("new_execution") else job_info.execution_id,
            dryrun=run_config.get("dryrun", False),
            cache=run_config.get("cache", True),
            context=run_config.get("context"),
        )
    finally:
        scheduler.backend.close()
    if "error" in outcome:
        raise outcome["error"]
    if outcome.get("dryrun"):
        from redun.scheduler.errors import DryRunResult

        raise DryRunResult("dry run stopped: some jobs are not cached and would have to run")
    # The parent logs this report (as upstream's sub-scheduler report) and returns "result".
    return {
        "result": outcome["result"],
        "config": config,
        # Upstream's run_config holds just these two; the rest is how this engine passes
        # the execution and context along.
        "run_config": {key: run_config.get(key) for key in ("dryrun", "cache")},
        "status": scheduler.get_job_status_report(),
    }


@scheduler_task(namespace="redun", version="1")
def subrun(
    scheduler: Scheduler,
    parent_job: Job,
    scheduler_expr: SchedulerExpression,
    expr: Any,
    executor: str,
    config: dict | None = None,
    config_dir: str | None = None,
    new_execution: bool = False,
    load_modules: list[str] | None = None,
    **task_options: Any,
) -> Promise:
    """Evaluate ``expr`` in a child scheduler running as one job on ``executor``.

    The child gets this scheduler's config (or ``config`` / ``config_dir``), dry-run and
    cache settings and context, and imports the modules defining the tasks it calls.
    """
    if config is None:
        if config_dir is not None:
            from redun.config import load_config

            config = load_config(config_dir, create=False).to_dict()
        else:
            config = scheduler.config.to_dict()
            config_dir = scheduler.config.config_dir
    modules = _modules_of(expr)
    modules.extend((name, None) for name in load_modules or ())
    run_config = {
        "config_dir": config_dir,
        "new_execution": new_execution,
        "dryrun": scheduler.dryrun,
        "cache": scheduler.use_cache,
        "context": parent_job._context if parent_job is not None else scheduler.context,
        # Options the caller exports (and prov=False) reach the child's jobs too.
        "export_options": dict(parent_job.options.get("_exported") or {}) if parent_job else {},
    }
    child = subrun_root_task.options(executor=executor, **task_options)(
        quote(expr), config, modules, run_config
    )
    summary = trim(repr(expr))

    def report(outcome: dict) -> Any:
        _log_report(scheduler, executor, summary, outcome)
        return outcome["result"]

    return scheduler.evaluate(child, parent_job=parent_job).then(report)


def _log_report(scheduler: Scheduler, executor: str, summary: str, outcome: dict) -> None:
    """Echo the child scheduler's config, run config and job status table into this
    scheduler's log, framed by BEGIN/END banners, as upstream's subrun does."""
    rule = "-" * 79
    scheduler.log("")
    for line in (rule, f"BEGIN: Sub-scheduler report (executor='{executor}'), {summary}", rule):
        scheduler.log(line)
    scheduler.log("Sub-scheduler config:")
    scheduler.log(pprint.pformat(outcome.get("config")))
    scheduler.log("")
    scheduler.log("Sub-scheduler run_config:")
    scheduler.log(pprint.pformat(outcome.get("run_config")))
    scheduler.log("")
    scheduler.log("Sub-scheduler final job status:")
    for line in outcome.get("status") or []:
        scheduler.log(line)
    for line in (rule, "END: Sub-scheduler report", rule):
        scheduler.log(line)
    scheduler.log("")
