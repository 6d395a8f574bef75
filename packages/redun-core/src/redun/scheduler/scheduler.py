"""Scheduler: reduces a workflow expression to a value, running jobs on executors.

One thread (the caller of ``run``) owns all scheduler state and processes events from a
queue; executors report results from their own threads through ``done_job`` /
``reject_job``. Cache lookups are batched per wave of ready jobs, and provenance goes to
the backend's write-behind queue, so the loop never waits on the database per job.
"""

from __future__ import annotations

import logging
import queue
import shlex
import time
from typing import Any

from redun.expression import SchedulerExpression, TaskExpression, quote
from redun.log_output import ensure_log_output, flush_log_output
from redun.promise import Promise
from redun.scheduler.caching import CacheChecker
from redun.scheduler.errors import DryRunResult, ErrorValue
from redun.scheduler.evaluation import Evaluator, iter_task_expressions
from redun.scheduler.event_loop import EventLoop
from redun.scheduler.failure_log import failure_lines
from redun.scheduler.interrupt import ExecutionInterrupted, Interruption, interrupt_grace
from redun.scheduler.job import Execution, Job
from redun.scheduler.job_lines import job_line_writer
from redun.scheduler.jobs import JobRunner
from redun.scheduler.limits import Limits
from redun.scheduler.live import LiveStatus
from redun.scheduler.recording import Recorder, utcnow
from redun.scheduler.report import StatusReport
from redun.scheduler.report import trim as _trim
from redun.scheduler.root import needs_root_task, root_task
from redun.scheduler.run_scope import run_scope
from redun.scheduler.task_checks import ignore_warnings_from_config, warn_tasks_without_namespace
from redun.task import get_task_registry
from redun.value import get_type_registry

logger = logging.getLogger("redun")


def _as_config(config: Any) -> Any:
    if config is None or isinstance(config, dict):
        from redun.config import Config

        config = Config.from_dict(config or {})
    scheduler_section = config.get("scheduler") or {}
    if scheduler_section.get("federated_configs"):
        from redun.federated_config import merge_federated_configs

        config = merge_federated_configs(config)
    return config


class Scheduler:
    """Evaluates expressions into values, with caching and provenance.

    Parameters mirror upstream redun's: ``config`` (a Config or a dict of sections),
    ``backend`` (defaults to the ``[backend]`` section, else in-memory SQLite),
    ``executor`` (replaces the default executor), ``job_status_interval``.

    The scheduler wires its parts together and is what executors call back: the
    ``evaluator`` reduces values, the job runner (``jobs``) takes each job from call to
    result, the ``cache`` checker and ``recorder`` talk to the backend, and one
    :class:`EventLoop` per run processes the ``events`` executors queue.
    """

    def __init__(
        self,
        config: Any = None,
        backend: Any = None,
        executor: Any = None,
        logger: Any = None,
        use_task_traceback: bool = True,
        job_status_interval: int | None = None,
        migrate: bool | None = None,
    ) -> None:
        from redun.scheduler.config import build_executors, get_backend_from_config

        self.config = _as_config(config)
        if logger is None:
            # A workflow run as a script sees redun's [redun] lines, as upstream's does.
            ensure_log_output()
        self.logger = logger or globals()["logger"]
        self.use_task_traceback = use_task_traceback
        self.migrate = migrate
        self.task_registry = get_task_registry()
        self.type_registry = get_type_registry()
        self.backend = backend if backend is not None else get_backend_from_config(self.config)
        self._backend_loaded = False
        self.executors = build_executors(self.config, self)
        if executor is not None:
            self.add_executor(executor, name="default")
        scheduler_section = dict(self.config.get("scheduler", {}) or {})
        interval = job_status_interval
        if interval is None:
            interval = int(scheduler_section.get("job_status_interval", 0) or 0)
        self.job_status_interval = interval
        # Seconds running jobs may finish after Ctrl-C ([scheduler] interrupt_grace).
        self.interrupt_grace = interrupt_grace(self.config)
        resource_limits = Limits(self.config.get("limits", {}) or {})
        # Upstream's public view of [limits]: capacity per name and units in use, as
        # plain dicts (the live ones, so reading them shows the current state).
        self.limits: dict[str, int] = resource_limits.capacity
        self.limits_used: dict[str, int] = resource_limits.used
        # Warning names to keep quiet ([scheduler] ignore_warnings), e.g. {"namespace"}.
        self.ignore_warnings = ignore_warnings_from_config(scheduler_section)
        self.recorder = Recorder(self.backend, self.type_registry)
        self.cache = CacheChecker(self.backend, self.type_registry, self.task_registry)
        self.evaluator = Evaluator(self._eval_task_expression)
        self.events: queue.SimpleQueue = queue.SimpleQueue()
        self.jobs = JobRunner(
            evaluator=self.evaluator,
            cache=self.cache,
            recorder=self.recorder,
            limits=resource_limits,
            backend=self.backend,
            type_registry=self.type_registry,
            executors=self.executors,
            defer=self.events.put,
            logger=self.logger,
        )
        self.interruption = Interruption(self)
        # Let independent branches run to completion after a failure (--keep-going).
        self.keep_going = False
        # None: a live status table when stderr is a terminal.
        self._live_display: bool | None = None
        self._reset_execution_state()

    # -- setup ------------------------------------------------------------------------
    def add_executor(self, executor: Any, name: str | None = None) -> None:
        executor.scheduler = self
        self.executors[name or executor.name] = executor

    def load(self, migrate: bool | None = None) -> None:
        if not self._backend_loaded:
            self.backend.load(migrate=self.migrate if migrate is None else migrate)
            self._backend_loaded = True

    def _reset_execution_state(self) -> None:
        # fork_thread evaluations by expression hash.
        self.threads: dict[str, Promise] = {}
        # What ended the workflow itself (a task's error, an incomplete dry run), as
        # opposed to an interruption or a failure of redun.
        self._workflow_error: BaseException | None = None
        self.interruption.reset()
        self.evaluator.reset()
        self.cache.reset()
        self.jobs.reset()

    # -- the current run, as the job runner holds it ----------------------------------------
    @property
    def execution(self) -> Execution | None:
        """The current (or last) execution."""
        return self.jobs.execution

    @property
    def context(self) -> dict:
        """The current run's context (``redun.ini``'s, then ``run(context=)``)."""
        return self.jobs.context

    @property
    def dryrun(self) -> bool:
        """Whether the current run is a dry run."""
        return self.jobs.dryrun

    @property
    def use_cache(self) -> bool:
        """Whether the current run may take results from the backend's cache."""
        return self.jobs.use_cache

    @property
    def report(self) -> StatusReport:
        """The current (or last) run's job status table."""
        return self.jobs.report

    @property
    def dryrun_jobs(self) -> list[Job]:
        """Jobs a dry run would have submitted, in order."""
        return self.jobs.dryrun_jobs

    @property
    def is_interrupted(self) -> bool:
        """True once the user pressed Ctrl-C: an executor checks it before starting a
        job body, so nothing starts between the signal and ``Executor.interrupt()``."""
        return self.interruption.requested

    # -- public API ---------------------------------------------------------------------
    def run(
        self,
        expr: Any,
        exec_argv: list[str] | None = None,
        dryrun: bool = False,
        cache: bool = True,
        tags: Any = (),
        context: dict | None = None,
        execution_id: str | None = None,
        _parent_job_id: str | None = None,
    ) -> Any:
        """Evaluate ``expr`` to a concrete value; re-raise a task's original exception."""
        from redun.scheduler.config import run_context

        self.load()
        self._reset_execution_state()
        run_ctx = run_context(self.config, context)
        argv = exec_argv or ["scheduler.run", _trim(repr(expr))]
        if needs_root_task(expr, self.task_registry):
            expr = root_task(quote(expr))
        execution = Execution(execution_id)
        # Extending another execution (subrun): our root hangs under that job.
        execution.parent_job_id = _parent_job_id
        self.jobs.begin(execution, run_ctx, dryrun, cache, job_line_writer(self.logger))
        start = time.time()
        command = " ".join(shlex.quote(arg) for arg in argv[1:])
        self.logger.log(logging.INFO, f"Start Execution {execution.id}:  redun {command}")
        warn_tasks_without_namespace(self.task_registry, self.ignore_warnings, self.logger)
        outcome: BaseException | None = None
        try:
            with run_scope(self):
                for executor in self.executors.values():
                    executor.start()
                result = self._run_loop(expr, execution, argv, tags)
        except BaseException as error:
            outcome = error
            raise
        finally:
            self._stop_executors()
            self.recorder.flush_pending(final=True)
            self.backend.flush()
            if (
                outcome is None
                or outcome is self._workflow_error
                or isinstance(outcome, ExecutionInterrupted)
            ):
                # As upstream redun: the status table and duration, then why it failed.
                self.report.log(self.logger)
                duration = time.time() - start
                self.logger.log(logging.INFO, f"Execution duration: {duration:.2f} seconds")
                if isinstance(outcome, DryRunResult):
                    self.logger.log(logging.INFO, "Dryrun: Additional jobs would run.")
                elif outcome is not None and not isinstance(outcome, ExecutionInterrupted):
                    self._log_failure(outcome)
            flush_log_output()
        return result

    def _run_loop(
        self, expr: TaskExpression, execution: Execution, argv: list[str], tags: Any
    ) -> Any:
        recorded = execution.parent_job_id is None and self._root_records(expr)
        if recorded:
            # The execution row goes first: its root job's row points at it (FK on Postgres).
            self.recorder.execution(execution.id, execution.root_job_id, argv)
        promise = self.evaluator.evaluate(expr, None)
        root = execution.job
        if root is not None and execution.parent_job_id is None:
            self.recorder.tags("Execution", execution.id, self._execution_tags(root, tags))
        live = LiveStatus(self.report, enabled=self._live_display)
        loop = EventLoop(
            self.events, self.jobs, self.recorder, self.interruption, execution, live, recorded
        )
        live.start()
        try:
            with self.interruption.catching_sigint():
                try:
                    return self._reduce(promise, loop)
                except ExecutionInterrupted:
                    raise
                except KeyboardInterrupt:
                    # Raised rather than signalled (another SIGINT handler, or a task
                    # expression evaluated on this thread): settle it the same way.
                    self.interruption.settle(execution)
        finally:
            live.stop()

    def _root_records(self, expr: TaskExpression) -> bool:
        """Whether the root job records provenance: with ``prov=False`` (``--no-prov``)
        upstream redun records no execution at all, only its tags."""
        task = self.task_registry.get(expr.task_name)
        if task is None:
            return True
        options = {**task.get_task_options(), **expr._options}
        return options.get("prov") is not False

    def _reduce(self, promise: Promise, loop: EventLoop) -> Any:
        """Pump events until the root promise settles; its value, or why it has none."""
        loop.pump(lambda: not promise.is_pending)
        if promise.is_pending:
            if not self.jobs.dryrun:
                raise RuntimeError("scheduler stalled: no job is running and nothing is queued")
            self._workflow_error = DryRunResult(
                "dry run stopped: some jobs are not cached and would have to run"
            )
            raise self._workflow_error
        if promise.is_rejected:
            # Let running jobs finish and be recorded (so a rerun finds them cached).
            # With keep_going, independent branches also keep starting new jobs until
            # nothing is left to run; otherwise nothing new is dispatched.
            if not self.keep_going:
                self.jobs.stop_dispatch()
            loop.pump(lambda: False)
            self._workflow_error = promise.error
            raise self._workflow_error
        return promise.value

    def _stop_executors(self) -> None:
        for executor in self.executors.values():
            try:
                executor.stop()
            except Exception:  # pragma: no cover - best effort on shutdown
                self.logger.exception("executor %s failed to stop", executor)

    def extend_run(
        self,
        expr: Any,
        parent_job_id: str | None,
        dryrun: bool = False,
        cache: bool = True,
        context: dict | None = None,
        execution_id: str | None = None,
    ) -> dict:
        """Run ``expr`` under job ``parent_job_id`` of an existing execution (subrun).

        Returns ``{"result": ...}``, ``{"error": ...}`` or, when a dry run stops at jobs
        that would have to run, ``{"dryrun": True}``; each also holds the ``job_id`` and
        ``call_hash`` of the new job, so the caller can stitch it into its job tree.
        """
        outcome: dict[str, Any]
        try:
            outcome = {
                "result": self.run(
                    expr,
                    dryrun=dryrun,
                    cache=cache,
                    context=context,
                    execution_id=execution_id,
                    _parent_job_id=parent_job_id,
                )
            }
        except DryRunResult:
            outcome = {"dryrun": True}
        except Exception as error:
            outcome = {"error": error}
        root = self.execution.job if self.execution else None
        outcome["job_id"] = root.id if root else None
        outcome["call_hash"] = root.call_hash if root else None
        return outcome

    def get_job_status_report(self) -> list[str]:
        """The per-task status table of the current (or last) execution, as lines."""
        return self.report.table()

    def log_job_statuses(self) -> None:
        """Log the job status table (what ``redun run`` prints periodically and at the end)."""
        self.log()
        for line in self.get_job_status_report():
            self.log(line)
        self.log()

    def log(self, *messages: Any, level: int = logging.INFO, **_: Any) -> None:
        """Log through redun's logger (upstream API used by custom executors and tasks)."""
        self.logger.log(level, " ".join(str(message) for message in messages))

    def evaluate(self, expr: Any, parent_job: Job | None = None) -> Promise:
        """Evaluate an expression within the running execution (for scheduler tasks)."""
        return self.evaluator.evaluate(expr, parent_job)

    # -- cache access for scheduler tasks ---------------------------------------------------
    def check_eval_cache(self, eval_hash: str) -> tuple[bool, Any]:
        """A valid single-reduction cache entry for ``eval_hash``, if reads are allowed."""
        if not self.jobs.use_cache:
            return False, None
        value_hash = self.backend.get_evaluations([eval_hash]).get(eval_hash)
        row = self.backend.get_values([value_hash]).get(value_hash) if value_hash else None
        if row is None or row[0] == "redun.ErrorValue":
            return False, None
        try:
            value = self.type_registry.deserialize(row[0], row[2])
        except Exception:
            return False, None
        if not self.type_registry.is_valid_nested(value):
            return False, None
        return True, value

    def set_cache(self, eval_hash: str, task: Any, args_hash: str, value: Any) -> None:
        """Record a single-reduction cache entry (for scheduler tasks with custom caching)."""
        try:
            self.recorder.cache_entry(task, eval_hash, args_hash, value)
        except Exception as error:  # an unpicklable value is simply not cached
            self.logger.debug("not caching %s: %s", eval_hash[:8], error)

    # -- executor callbacks (any thread) --------------------------------------------------
    def add_job_tags(self, job: Job, tags: Any) -> None:
        """Record ``tags`` on ``job`` while it runs (any thread): an executor's way to
        note where the job runs (upstream's callback; AWS Batch's ``aws_batch_job``)."""
        tags = list(tags)
        if tags:
            jobs = self.jobs
            self.events.put(lambda: jobs.tag(job, tags))

    def done_job(self, job: Job, result: Any, job_tags: Any = ()) -> None:
        """An executor's report that ``job`` returned ``result`` (any thread).

        ``job_tags`` (upstream's argument) are recorded on the job.
        """
        jobs = self.jobs
        if job_tags:
            self.events.put(lambda: jobs.tag(job, job_tags))
        self.events.put(lambda: jobs.on_done(job, result))

    def reject_job(
        self, job: Job | None, error: Any, error_traceback: Any = None, job_tags: Any = ()
    ) -> None:
        """An executor's report that ``job`` raised ``error`` (any thread); ``None`` for
        a failure outside any job, which fails the run. ``job_tags`` are recorded on the
        job."""
        if job is None:
            self.events.put(lambda: (_ for _ in ()).throw(error))
            return
        jobs = self.jobs
        if job_tags:
            self.events.put(lambda: jobs.tag(job, job_tags))
        self.events.put(lambda: jobs.on_failed(job, error, error_traceback))

    # -- task expressions -------------------------------------------------------------------
    def _eval_task_expression(self, expr: TaskExpression, parent_job: Job | None) -> Promise:
        """The evaluator's first sight of a task call under ``parent_job``: a job for a
        task, the call itself for a scheduler task."""
        task = self.task_registry.get(expr.task_name)
        if task is None:
            return Promise.rejected(
                NameError(f"task '{expr.task_name}' is not registered (was its module imported?)")
            )
        if isinstance(expr, SchedulerExpression):
            return self._eval_scheduler_task(task, expr, parent_job)
        return self.jobs.call(task, expr, parent_job)

    def _eval_scheduler_task(
        self, task: Any, expr: SchedulerExpression, parent_job: Job | None
    ) -> Promise:
        try:
            result = task.func(self, parent_job, expr, *expr.args, **expr.kwargs)
        except Exception as error:
            return Promise.rejected(error)
        return result if isinstance(result, Promise) else Promise.resolved(result)

    # -- failure reporting ----------------------------------------------------------------
    def _log_failure(self, error: BaseException) -> None:
        for line in failure_lines(self.jobs.failed_jobs, error):
            self.logger.log(logging.ERROR, line)

    def _execution_tags(self, root: Job, tags: Any) -> list[tuple[str, Any]]:
        """redun.ini's ``[tags]``, then the caller's, as upstream's ``Scheduler.run``
        records them. Defaults (version, user, project, git) are the caller's to give:
        ``redun run`` gives them."""
        config_tags = list((self.config.get("tags", {}) or {}).items())
        return config_tags + list(tags or ())


__all__ = [
    "DryRunResult",
    "ErrorValue",
    "Execution",
    "Job",
    "Scheduler",
    "iter_task_expressions",
    "utcnow",
]
