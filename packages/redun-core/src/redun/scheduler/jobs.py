"""A job's life: start, CSE, cache, submission, result, call node.

``JobRunner`` is a part the Scheduler owns, built with everything it uses passed in.
Every method runs on the scheduler thread.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from redun.errors import JobInterrupted, SchedulerError, UnknownExecutorError
from redun.promise import Promise
from redun.scheduler.call_nodes import record_failed_call, record_result
from redun.scheduler.errors import Traceback
from redun.scheduler.evaluation import contains_expression
from redun.scheduler.job import Execution, Job, retire
from redun.scheduler.job_setup import JobSetup, hash_job, hash_stand_ins
from redun.scheduler.limits import parse_job_limits
from redun.scheduler.processing import postprocess_result
from redun.scheduler.recording import utcnow
from redun.scheduler.report import (
    CACHED,
    DONE,
    FAILED,
    PENDING,
    RUNNING,
    StatusReport,
    format_job_call,
)
from redun.task import CacheResult, CacheScope

if TYPE_CHECKING:
    import logging

    from redun.backends.base import RedunBackend
    from redun.executors.base import Executor
    from redun.scheduler.caching import CacheChecker, CacheHit
    from redun.scheduler.evaluation import Evaluator
    from redun.scheduler.limits import Limits
    from redun.scheduler.recording import Recorder
    from redun.task import Task
    from redun.value import TypeRegistry


# Cache hits settled between handoffs of their rows to the writer.
HANDOFF_HITS = 1000
# Jobs started within one another's argument evaluation before starts are queued.
NESTED_STARTS = 50


class JobRunner:
    """Takes each job from its call to its result.

    ``evaluator`` reduces arguments and results, ``cache`` answers backend lookups,
    ``recorder`` turns jobs into rows, ``limits`` holds jobs back, ``executors`` (the
    scheduler's own mapping, by name) run them, ``defer`` queues a closure on the
    scheduler's event queue. ``begin`` sets what one run asks for.
    """

    def __init__(
        self,
        *,
        evaluator: Evaluator,
        cache: CacheChecker,
        recorder: Recorder,
        limits: Limits,
        backend: RedunBackend,
        type_registry: TypeRegistry,
        executors: Mapping[str, Executor],
        defer: Callable[[Callable[[], Any]], None],
        logger: logging.Logger,
    ) -> None:
        self.evaluator = evaluator
        self.cache = cache
        self.recorder = recorder
        self.limits = limits
        self.backend = backend
        self.type_registry = type_registry
        self.executors = executors
        self.defer = defer
        self.logger = logger
        # Writes one "Run    Job ..." line; a run picks the fastest for its logger.
        self.job_line: Callable[[str], None] = logger.info
        self.execution: Execution | None = None
        self.context: dict = {}
        self.dryrun = False
        self.use_cache = True
        self.setup = JobSetup(evaluator, self._on_args_ready, self._abandon_job)
        self.reset()

    def reset(self) -> None:
        """Forget the previous run's jobs."""
        self.report = StatusReport()
        # Jobs by (eval hash, context hash): common subexpression elimination.
        self.unique_jobs: dict[tuple[str, str | None], Job] = {}
        # Jobs a dry run would have submitted, in order (what `redun run --dryrun` plans).
        self.dryrun_jobs: list[Job] = []
        # Jobs that failed (not interrupted), for the failure log.
        self.failed_jobs: list[Job] = []
        self.running = 0
        # The workflow failed or Ctrl-C: nothing new is dispatched.
        self.stopping = False
        self._start_depth = 0
        self._deferred_starts: deque[Job] = deque()

    def begin(
        self,
        execution: Execution,
        context: dict,
        dryrun: bool,
        use_cache: bool,
        job_line: Callable[[str], None],
    ) -> None:
        """Set what this run asks for (after ``reset``)."""
        self.execution = execution
        self.context = context
        self.dryrun = dryrun
        self.use_cache = use_cache
        self.job_line = job_line

    def set_status(self, job: Job, status: str) -> None:
        """The one place a job's status changes: on the job and in the status table."""
        job.status = status
        self.report.move(job, status)

    def stop_dispatch(self) -> None:
        """Start nothing new: running jobs finish, queued and waiting ones never start."""
        self.stopping = True

    def idle(self) -> bool:
        """Nothing is running and nothing could start without a new event."""
        return self.running == 0 and (self.stopping or not self.limits.waiting)

    # -- calls ------------------------------------------------------------------------
    def call(self, task: Task, expr: Any, parent_job: Job | None) -> Promise:
        """A job for one task call, started; its promise settles with the result."""
        execution = self.execution
        root = parent_job is None and execution is not None and execution.job is None
        job_id = execution.root_job_id if root else None
        job = Job(task, expr, id=job_id, parent_job=parent_job, execution=execution)
        if root:
            execution.job = job
        promise = job.result_promise = Promise()
        self._start_nested(job)
        return promise

    def _start_nested(self, job: Job) -> None:
        """Start a job found while evaluating another's arguments. Past NESTED_STARTS
        levels, starts wait in a queue the outermost one drains: a chain of n calls
        (``x = inc(x)`` in a loop) unfolds in a loop, not n levels of recursion."""
        if self._start_depth >= NESTED_STARTS:
            self._deferred_starts.append(job)
            return
        self._start_depth += 1
        try:
            self.setup.start(job, self.context)
        finally:
            self._start_depth -= 1
        if self._start_depth == 0:
            deferred = self._deferred_starts
            while deferred:
                self._start_depth = 1
                try:
                    self.setup.start(deferred.popleft(), self.context)
                finally:
                    self._start_depth = 0

    def _on_args_ready(self, job: Job, args: tuple, kwargs: dict) -> None:
        if self.stopping:
            # The workflow failed: nothing new starts (and nothing is left half-recorded).
            return
        error = hash_job(self.type_registry, job, args, kwargs)
        if error is not None:
            self._fail_unhashable_args(job, error)
            return
        options = job.options
        limits = options.get("limits")
        if limits:
            job.limits = parse_job_limits(limits)
        job.start_time = utcnow()
        prov = options.get("prov") is not False
        if not prov:
            job.was_cached = False
        self.set_status(job, PENDING)

        # Common subexpression elimination within this execution. A job recording no
        # provenance (prov=False) uses no cache of any scope, CSE included, as upstream.
        scope = options.get("cache_scope", CacheScope.BACKEND)
        if scope != CacheScope.NONE and prov:
            key = (job.eval_hash, job.context_hash)
            original = self.unique_jobs.get(key)
            if original is not None:
                if prov:
                    self.recorder.job_started(job)
                self._cse_hit(job, original)
                return
            self.unique_jobs[key] = job
        if scope == CacheScope.BACKEND and self.use_cache and prov:
            # The root's row is not held: its execution's row (already queued) points at
            # it, and a server checks that reference when the two commit together.
            self.recorder.job_started(job, hold=job.parent_job is not None)
            self.cache.queue(job)
        else:
            if prov:
                self.recorder.job_started(job)
            self._submit(job)

    def _fail_unhashable_args(self, job: Job, error: Exception) -> None:
        """Fail a job whose arguments cannot be hashed, recorded like any failed job: its
        row, and a call node whose arguments stand in for what could not be hashed."""
        hash_stand_ins(self.type_registry, job)
        job.start_time = utcnow()
        self.set_status(job, PENDING)
        if job.options.get("prov") is not False:
            self.recorder.job_started(job)
        self.fail(job, error)

    def _abandon_job(self, job: Job, error: Any) -> None:
        """A job whose arguments (or options) failed never starts: as upstream, it stays
        PENDING in the status table, is not recorded, and passes the error to its caller."""
        if job.result_promise is None or not job.result_promise.is_pending:
            return
        self.set_status(job, PENDING)
        job.result_promise.do_reject(error)

    # -- cache ---------------------------------------------------------------------------
    def lookups_pending(self) -> bool:
        """Jobs wait for a backend cache lookup."""
        return self.cache.has_pending()

    def check_cache(self) -> None:
        """Look the queued jobs up in one batch; settle the hits, submit the misses."""
        jobs = self.cache.take_pending()
        recorder = self.recorder
        if self.stopping:
            # The workflow failed before these were looked up: they never start.
            for job in jobs:
                recorder.discard_held(job)
            return
        hits = 0
        for job, hit in self.cache.lookup(jobs):
            if hit is None:
                recorder.release_start(job)
                shown = self.cache.invalid_results.pop(job.id, None)
                if shown is not None:
                    # As upstream says it: the result exists but a file in it changed.
                    self.job_line(
                        f"Miss   Job {job.id[:8]}:  Cached result is no longer valid "
                        f"(result={shown}, eval_hash={job.eval_hash[:8]})."
                    )
                self._submit(job)
                continue
            hits += 1
            if hits % HANDOFF_HITS == 0:
                # Hand settled jobs' rows to the writer as we go, so it commits them
                # alongside instead of after the last hit.
                recorder.flush_pending()
            recorder.release_start(job)
            self._settle_hit(job, hit)

    def _settle_hit(self, job: Job, hit: CacheHit) -> None:
        job.was_cached = True
        job.cache_type = hit.kind
        if hit.kind == CacheResult.ULTIMATE:  # a shallow check's hit, worded as upstream's
            hashes = (
                f"eval_hash={job.eval_hash[:8]}, check_valid=shallow, call_hash={hit.call_hash[:8]}"
            )
        else:
            hashes = f"eval_hash={job.eval_hash[:8]}, call_hash=None"
        self.job_line(f"Cached Job {job.id[:8]}:  {format_job_call(job)} ({hashes})")
        self.set_status(job, CACHED)
        if hit.kind == CacheResult.ULTIMATE:
            self._finish_job(job, hit.value, call_hash=hit.call_hash)
        elif hit.recorded_call is not None:
            job.subtree_tasks = job.task.own_subtree
            self._finish_job(
                job,
                hit.value,
                call_hash=hit.recorded_call,
                recorded=True,
                result_hash=hit.value_hash,
            )
        else:
            self._resolve_result(job, hit.value)

    def _cse_hit(self, job: Job, original: Job) -> None:
        job.was_cached = True
        self.job_line(
            f"Cached Job {job.id[:8]}:  {format_job_call(job)} "
            f"(eval_hash={job.eval_hash[:8]}, call_hash=None)"
        )
        self.set_status(job, CACHED)

        def on_done(value: Any) -> Any:
            job.call_hash = original.call_hash
            job.subtree_tasks = original.subtree_tasks
            job.expr.call_hash = job.call_hash
            self.recorder.job_ended(job)
            job.result_promise.do_resolve(value)
            if not self.dryrun:
                retire(job, self.unique_jobs)

        def on_error(error: Any) -> None:
            job.call_hash = original.call_hash
            self.set_status(job, FAILED)
            self.recorder.job_ended(job)
            job.result_promise.do_reject(error)

        settled = original.result_promise
        if settled.is_pending:
            settled.then(on_done, on_error)
        else:
            # Finish on the next event, not inside the callback that got us here: a chain
            # of hits on finished calls (a second copy of a long chain) then unfolds in
            # the loop instead of recursing through one another's callbacks.
            self.defer(lambda: settled.then(on_done, on_error))

    # -- submission --------------------------------------------------------------------
    def _submit(self, job: Job) -> None:
        if self.dryrun:
            self.job_line(f"Miss   Job {job.id[:8]}:  {self.cache.explain_miss(job)}")
            executor = job.options.get("executor", "default")
            self.job_line(f"Dryrun Job {job.id[:8]}:  {format_job_call(job)} on {executor}")
            # Upstream counts a job it would have submitted as running.
            self.set_status(job, RUNNING)
            self.dryrun_jobs.append(job)
            return
        if self.stopping:
            # The workflow already failed and we are not keeping going.
            return
        if job.has_handles:
            # Running again from a handle state invalidates the branches that came after it.
            from redun.handle import perform_rollbacks

            perform_rollbacks(self.backend, self.execution, job)
        if job.limits and not self.limits.try_acquire(job.limits):
            self.limits.waiting.append(job)
            return
        self._dispatch(job)

    def _dispatch(self, job: Job) -> None:
        executor_name = job.options.get("executor", "default")
        executor = self.executors.get(executor_name)
        if executor is None:
            known = ", ".join(sorted(self.executors))
            self.fail(
                job,
                UnknownExecutorError(
                    f'Unknown executor "{executor_name}" for task {job.task_name} (known: {known})'
                ),
            )
            return
        if job.task.is_async() and not executor.supports_async():
            self.fail(
                job, SchedulerError(f'Executor "{executor_name}" does not support async tasks')
            )
            return
        self.job_line(f"Run    Job {job.id[:8]}:  {format_job_call(job)} on {executor.name}")
        self.set_status(job, RUNNING)
        self.running += 1
        try:
            if job.task.script:
                executor.submit_script(job)
            else:
                executor.submit(job)
        except Exception as error:
            self.running -= 1
            self.fail(job, error)

    def _release(self, job: Job) -> None:
        self.running -= 1
        if job.limits:
            self.limits.release(job.limits)
            waiting = self.limits.waiting
            # Stopping (a failure, or Ctrl-C): jobs waiting for a limit stay unstarted.
            for _ in range(0 if self.stopping else len(waiting)):
                candidate = waiting.popleft()
                if self.limits.try_acquire(candidate.limits):
                    self._dispatch(candidate)
                else:
                    waiting.append(candidate)

    # -- results ------------------------------------------------------------------------
    def on_done(self, job: Job, result: Any) -> None:
        """An executor's job returned ``result``."""
        self._release(job)
        try:
            result = postprocess_result(self.type_registry, job, result)
        except Exception as error:
            self.fail(job, error)
            return
        if job.options.get("prov") is not False:
            try:
                self.recorder.evaluation(job, result)
            except Exception as error:
                if not contains_expression(result):
                    # A result that cannot be hashed (a lock, a generator) fails its job.
                    self.fail(job, error)
                    return
                # Calls whose arguments cannot be hashed fail as their own jobs; this
                # first-round result is then simply not cached.
        self._resolve_result(job, result)

    def on_failed(self, job: Job, error: Any, error_traceback: Any) -> None:
        """An executor's job raised ``error``."""
        self._release(job)
        self.fail(job, error, error_traceback)

    def tag(self, job: Job, job_tags: Any) -> None:
        """Record tags an executor reported for ``job``."""
        if job.options.get("prov") is not False:
            self.recorder.tags("Job", job.id, list(job_tags))

    def _resolve_result(self, job: Job, result: Any) -> None:
        """Evaluate what the task returned (its child calls) down to a concrete value."""
        if contains_expression(result):
            self.evaluator.evaluate(result, job).then(
                lambda value: self._finish_job(job, value),
                lambda error: self.fail(job, error),
            )
        else:
            self._finish_job(job, result)

    def _finish_job(
        self,
        job: Job,
        value: Any,
        call_hash: str | None = None,
        recorded: bool = False,
        result_hash: str | None = None,
    ) -> None:
        """Settle a job with its ultimate value and record its call node (see
        :func:`~redun.scheduler.call_nodes.record_result` for ``call_hash`` and
        ``recorded``)."""
        error = record_result(
            self.recorder,
            self.type_registry,
            self.backend,
            job,
            value,
            call_hash,
            recorded,
            result_hash,
        )
        if error is not None:
            # A result that cannot be hashed fails its job (and only it).
            self.fail(job, error)
            return
        self.set_status(job, CACHED if job.was_cached else DONE)
        # Drop inputs: the job's record is written and its result is what callers need.
        job.args, job.kwargs = (), {}
        job.result_promise.do_resolve(value)
        if not self.dryrun:
            retire(job, self.unique_jobs)

    def fail(self, job: Job, error: Any, error_traceback: Any = None) -> None:
        """Settle ``job`` with ``error``, recorded as its result (unless already settled)."""
        if job.result_promise is None or not job.result_promise.is_pending:
            return
        if not isinstance(error, BaseException):
            error = RuntimeError(str(error))
        trace = getattr(error, "__redun_traceback__", None)
        if trace is None:
            trace = Traceback.from_report(error, error_traceback)
            try:
                error.__redun_traceback__ = trace
            except Exception:  # pragma: no cover
                pass
        job.result = error
        self.set_status(job, FAILED)
        interrupted = isinstance(error, JobInterrupted)
        if not interrupted:  # Ctrl-C: one summary line, not one per unfinished job
            self.logger.error(f"*** Reject Job {job.id[:8]}:  {format_job_call(job)}:")
        if getattr(error, "__redun_job__", None) is None and not any(
            child.status == FAILED for child in job.child_jobs
        ):
            # Where the error started: the job named in the CLI's one-line error.
            try:
                error.__redun_job__ = f"{job.id[:8]}: {job.task_name}"
            except Exception:  # pragma: no cover - exceptions with __slots__
                pass
        if not interrupted:
            self.failed_jobs.append(job)
        if job.eval_hash is not None and job.options.get("prov") is not False:
            record_failed_call(self.recorder, self.type_registry, job, error, trace)
        # Arguments are kept: the failure traceback shows them.
        job.result_promise.do_reject(error)


__all__ = ["JobRunner"]
