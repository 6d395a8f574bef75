"""A job's life: arguments, hashing, CSE, cache, submission, result, call node.

Mixed into Scheduler; every method runs on the scheduler thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from redun.context_values import merge_dicts
from redun.errors import JobInterrupted
from redun.expression import Expression, SchedulerExpression, TaskExpression
from redun.hashing import hash_arguments, hash_call_node, hash_eval_from_args_hash
from redun.promise import Promise
from redun.scheduler.errors import ErrorValue, Traceback
from redun.scheduler.evaluation import contains_expression
from redun.scheduler.job import JobEnv
from redun.scheduler.job_info import JobInfo, fill_job_info
from redun.scheduler.limits import parse_job_limits
from redun.scheduler.processing import postprocess_result, preprocess_args
from redun.scheduler.recording import utcnow
from redun.scheduler.report import format_job_call
from redun.task import CacheResult, CacheScope
from redun.task.options import narrower_scope
from redun.value.nested import PLAIN_LEAF_TYPES, is_namedtuple

if TYPE_CHECKING:
    from redun.scheduler.caching import CacheHit
    from redun.scheduler.job import Job


# Children above which a cached job checks whether its call node is already recorded.
RECHECK_CHILDREN = 16
# Cache hits settled between handoffs of their rows to the writer.
HANDOFF_HITS = 1000


class JobRunner:
    """Scheduler mixin holding the per-job state machine."""

    # -- backend cache -------------------------------------------------------------------
    def _check_cache(self) -> None:
        """Look the queued jobs up in one batch; settle the hits, submit the misses."""
        jobs = self.cache.take_pending()
        recorder = self.recorder
        if self._stopping:
            # The workflow failed before these were looked up: they never start.
            for job in jobs:
                recorder.discard_held(job)
            return
        hits = 0
        for job, hit in self.cache.lookup(jobs):
            if hit is None:
                recorder.release_start(job)
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
        self._job_line(f"Cached Job {job.id[:8]}:  {format_job_call(job)} ({hashes})")
        self.report.cached(job)
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

    # -- start: options and arguments --------------------------------------------------
    def _start_job(self, job: Job) -> None:
        expr = job.expr
        task = job.task
        parent = job.parent_job
        options = task.get_task_options()
        exported: dict = (parent.options.get("_exported") or {}) if parent else {}
        if exported or expr._options:
            options = {**options, **exported, **expr._options}
        if task.has_lazy_options or (expr._options and contains_expression(expr._options)):
            # Options given as expressions are evaluated first, as the parent sees them.
            self.evaluator.evaluate(options, parent).then(
                lambda evaluated: self._configure_job(job, evaluated, exported),
                lambda error: self._fail_job(job, error, None),
            )
            return
        self._configure_job(job, options, exported)

    def _configure_job(self, job: Job, options: dict, exported: dict) -> None:
        expr = job.expr
        task = job.task
        parent = job.parent_job
        export_keys = task._export_options | expr._export_options
        if export_keys:
            exported = {**exported, **{k: options[k] for k in export_keys if k in options}}
        if exported:
            options["_exported"] = exported
        if parent is not None and parent.options.get("prov") is False:
            options["prov"] = False
        limit = task.max_cache_scope
        if limit is not None:
            scope = options.get("cache_scope", CacheScope.BACKEND)
            options["cache_scope"] = narrower_scope(scope, limit)
        job.options = options

        # Context: the parent's (or the execution's), then this call's overrides.
        parent_context = parent._context if parent is not None else self.context
        override = options.get("_context_override")
        if override:
            job._context = merge_dicts([parent_context or {}, override])
        else:
            job._context = parent_context or None

        # Omitted defaults join the kwargs (so f(1) and f(1, b=2) share a cache key).
        # They are evaluated in the child's context (e.g. get_context() as a default).
        names, defaults, _ = task.call_signature
        args, kwargs = expr.args, expr.kwargs
        missing: dict = {}
        if defaults:
            bound = set(names[: len(args)]) | set(kwargs)
            missing = {name: value for name, value in defaults if name not in bound}
        lazy_args = contains_expression(args) or contains_expression(kwargs)
        lazy_defaults = bool(missing) and contains_expression(missing)
        if not lazy_args and not lazy_defaults:
            self._on_args_ready(job, args, {**kwargs, **missing} if missing else kwargs)
            return
        given = self.evaluator.evaluate((args, kwargs), parent)
        if lazy_defaults:
            # In the caller, with this call's context (upstream redun's JobEnv).
            env = JobEnv(parent, job._context, f"{job.id}:defaults")
            filled = self.evaluator.evaluate(missing, env)
        else:
            filled = missing
        Promise.all([given, filled]).then(
            lambda done: self._on_args_ready(job, done[0][0], {**done[0][1], **done[1]}),
            lambda error: self._fail_job(job, error, None),
        )

    def _on_args_ready(self, job: Job, args: tuple, kwargs: dict) -> None:
        if self._stopping:
            # The workflow failed: nothing new starts (and nothing is left half-recorded).
            return
        registry = self.type_registry
        task = job.task
        options = job.options
        try:
            args, kwargs, job.has_handles = preprocess_args(registry, job, args, kwargs)
            config_args = options.get("config_args")
            hash_kwargs = kwargs
            has_info = bool(kwargs) and any(isinstance(v, JobInfo) for v in kwargs.values())
            if config_args or has_info:
                hash_kwargs = {
                    k: v
                    for k, v in kwargs.items()
                    if not (config_args and k in config_args) and not isinstance(v, JobInfo)
                }
            job.args_hash = hash_arguments(registry, args, hash_kwargs)
        except Exception as error:
            # An argument that cannot be hashed (a lock, a generator) fails this job.
            self._fail_unhashable_args(job, args, kwargs, error)
            return
        job.eval_hash = hash_eval_from_args_hash(task.hash, job.args_hash)
        if job._context:
            job.context_hash = registry.get_hash(job._context)
        if has_info:
            kwargs = fill_job_info(job, kwargs)
        job.args, job.kwargs = args, kwargs
        limits = options.get("limits")
        if limits:
            job.limits = parse_job_limits(limits)
        job.start_time = utcnow()
        prov = options.get("prov") is not False
        if not prov:
            job.was_cached = False
        self.report.add(job)

        # Common subexpression elimination within this execution.
        scope = options.get("cache_scope", CacheScope.BACKEND)
        if scope != CacheScope.NONE:
            key = (job.eval_hash, job.context_hash)
            original = self._cse.get(key)
            if original is not None:
                if prov:
                    self.recorder.job_started(job)
                self._cse_hit(job, original)
                return
            self._cse[key] = job
        if scope == CacheScope.BACKEND and self._use_cache and prov:
            # The root's row is not held: its execution's row (already queued) points at
            # it, and a server checks that reference when the two commit together.
            self.recorder.job_started(job, hold=job.parent_job is not None)
            self.cache.queue(job)
        else:
            if prov:
                self.recorder.job_started(job)
            self._submit(job)

    def _fail_unhashable_args(self, job: Job, args: tuple, kwargs: dict, error: Exception) -> None:
        """Fail a job whose arguments cannot be hashed, recorded like any failed job: its
        row, and a call node whose arguments stand in for what could not be hashed."""
        registry = self.type_registry
        job.args, job.kwargs = args, kwargs
        job.args_hash = hash_arguments(
            registry,
            [stand_in(registry, a) for a in args],
            {k: stand_in(registry, v) for k, v in kwargs.items()},
        )
        job.eval_hash = hash_eval_from_args_hash(job.task.hash, job.args_hash)
        job.start_time = utcnow()
        self.report.add(job)
        if job.options.get("prov") is not False:
            self.recorder.job_started(job)
        self._fail_job(job, error, None)

    def _cse_hit(self, job: Job, original: Job) -> None:
        job.was_cached = True
        self._job_line(
            f"Cached Job {job.id[:8]}:  {format_job_call(job)} "
            f"(eval_hash={job.eval_hash[:8]}, call_hash=None)"
        )
        self.report.cached(job)

        def on_done(value: Any) -> Any:
            job.call_hash = original.call_hash
            job.subtree_tasks = original.subtree_tasks
            job.expr.call_hash = job.call_hash
            self.recorder.job_ended(job)
            job.result_promise.do_resolve(value)

        def on_error(error: Any) -> None:
            job.call_hash = original.call_hash
            self.report.failed(job)
            self.recorder.job_ended(job)
            job.result_promise.do_reject(error)

        settled = original.result_promise
        if settled.is_pending:
            settled.then(on_done, on_error)
        else:
            # Finish on the next event, not inside the callback that got us here: a chain
            # of hits on finished calls (a second copy of a long chain) then unfolds in
            # the loop instead of recursing through one another's callbacks.
            self.events.put(lambda: settled.then(on_done, on_error))

    # -- submission --------------------------------------------------------------------
    def _submit(self, job: Job) -> None:
        if self._dryrun:
            self._log_miss(job)
            executor = job.options.get("executor", "default")
            self._job_line(f"Dryrun Job {job.id[:8]}:  {format_job_call(job)} on {executor}")
            self.report.dryrun(job)
            self.dryrun_jobs.append(job)
            return
        if self._stopping:
            # The workflow already failed and we are not keeping going.
            return
        if job.has_handles:
            # Running again from a handle state invalidates the branches that came after it.
            from redun.handle import perform_rollbacks

            perform_rollbacks(self, job)
        if job.limits and not self.limits.try_acquire(job.limits):
            self.limits.waiting.append(job)
            return
        self._dispatch(job)

    def _log_miss(self, job: Job) -> None:
        task = job.task
        try:
            reason = self.backend.explain_cache_miss(
                task.name, task.namespace, task.hash, job.args_hash
            )
        except Exception:
            reason = None
        kind = (reason or {}).get("reason")
        hashes = f"task_hash={task.hash[:8]}, args_hash={job.args_hash[:8]}"
        if kind == "new_task":
            text = (
                f"New task '{task.fullname}()' with previous arguments "
                f"(task_hash={reason['call_task_hash'][:8]} --> {task.hash[:8]}, "
                f"args_hash={job.args_hash[:8]})."
            )
        elif kind == "new_args":
            text = (
                f"Existing task '{task.fullname}()' is called with new arguments "
                f"(task_hash={task.hash[:8]}, "
                f"args_hash={reason['call_args_hash'][:8]} --> {job.args_hash[:8]})."
            )
        elif kind == "new_call":
            text = f"New task '{task.fullname}()' is called with new arguments ({hashes})."
        else:
            text = f"Cannot determine reason for cache miss of '{task.fullname}()' ({hashes})."
        self._job_line(f"Miss   Job {job.id[:8]}:  {text}")

    def _dispatch(self, job: Job) -> None:
        executor_name = job.options.get("executor", "default")
        executor = self.executors.get(executor_name)
        if executor is None:
            from redun.errors import ExecutorError

            known = ", ".join(sorted(self.executors))
            self._fail_job(
                job,
                ExecutorError(
                    f"unknown executor '{executor_name}' for task {job.task_name} (known: {known})"
                ),
                None,
            )
            return
        if job.task.is_async() and not executor.supports_async():
            executor = self.executors["default"]
        self._job_line(f"Run    Job {job.id[:8]}:  {format_job_call(job)} on {executor.name}")
        self.report.running(job)
        self._running += 1
        try:
            if job.task.script:
                executor.submit_script(job)
            else:
                executor.submit(job)
        except Exception as error:
            self._running -= 1
            self._fail_job(job, error, None)

    def _release(self, job: Job) -> None:
        self._running -= 1
        if job.limits:
            self.limits.release(job.limits)
            waiting = self.limits.waiting
            # Stopping (a failure, or Ctrl-C): jobs waiting for a limit stay unstarted.
            for _ in range(0 if self._stopping else len(waiting)):
                candidate = waiting.popleft()
                if self.limits.try_acquire(candidate.limits):
                    self._dispatch(candidate)
                else:
                    waiting.append(candidate)

    # -- results ------------------------------------------------------------------------
    def _on_job_done(self, job: Job, result: Any) -> None:
        self._release(job)
        try:
            result = postprocess_result(self.type_registry, job, result)
        except Exception as error:
            self._fail_job(job, error, None)
            return
        if job.options.get("prov") is not False:
            try:
                self.recorder.evaluation(job, result)
            except Exception as error:
                if not contains_expression(result):
                    # A result that cannot be hashed (a lock, a generator) fails its job.
                    self._fail_job(job, error, None)
                    return
                # Calls whose arguments cannot be hashed fail as their own jobs; this
                # first-round result is then simply not cached.
        self._resolve_result(job, result)

    def _on_job_failed(self, job: Job, error: Any, error_traceback: Any) -> None:
        self._release(job)
        self._fail_job(job, error, error_traceback)

    def _resolve_result(self, job: Job, result: Any) -> None:
        """Evaluate what the task returned (its child calls) down to a concrete value."""
        if contains_expression(result):
            self.evaluator.evaluate(result, job).then(
                lambda value: self._finish_job(job, value),
                lambda error: self._fail_job(job, error, None),
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
        """Settle a job with its ultimate value and record its call node.

        ``recorded`` means the call node is known to be in the backend already (a cached
        leaf job): only the job's own row is written then.
        """
        registry = self.type_registry
        recorder = self.recorder
        prov = job.options.get("prov") is not False
        try:
            if prov and not recorded:
                result_hash, result_rows = recorder.value_row(value, result_hash)
            else:
                result_hash, result_rows = result_hash or registry.get_hash(value), []
        except Exception as error:
            # A result that cannot be hashed fails its job (and only it).
            self._fail_job(job, error, None)
            return
        children = [child.call_hash for child in job.child_jobs if child.call_hash]
        if call_hash is None:
            call_hash = hash_call_node(job.task.hash, job.args_hash, result_hash, children)
        if (
            prov
            and not recorded
            and job.was_cached
            and len(children) >= RECHECK_CHILDREN
            and self.backend.get_existing_call_nodes([call_hash])
        ):
            # A cached job with a big fan-out whose call node is already recorded: one
            # query instead of rewriting the node and an edge per child.
            recorded = True
        job.call_hash = call_hash
        job.expr.call_hash = call_hash
        if job.subtree_tasks is None:
            subtree: set[str] | None = None
            for child in job.child_jobs:
                if child.subtree_tasks:
                    if subtree is None:
                        subtree = {job.task.hash}
                    subtree |= child.subtree_tasks
            job.subtree_tasks = subtree if subtree is not None else job.task.own_subtree
        if prov:
            if not recorded:
                recorder.call_node(
                    job, call_hash, result_hash, result_rows, children, self._arg_records(job)
                )
                if job._context:
                    recorder.call_node_context(call_hash, job._context)
            recorder.job_ended(job)
        self.report.finished(job)
        # Drop inputs: the job's record is written and its result is what callers need.
        job.args, job.kwargs = (), {}
        job.result_promise.do_resolve(value)

    def _arg_records(
        self, job: Job, failed: bool = False
    ) -> list[tuple[int | None, str | None, Any, tuple[str, ...]]]:
        """Each argument with the calls it came from. A ``failed`` job may hold arguments
        that cannot be hashed (why it failed): those are recorded as descriptions."""
        expr = job.expr
        records: list[tuple[int | None, str | None, Any, tuple[str, ...]]] = []
        config_args = job.options.get("config_args") or ()
        registry = self.type_registry
        for i, value in enumerate(job.args):
            original = expr.args[i] if i < len(expr.args) else None
            if failed:
                value = stand_in(registry, value)
            records.append((i, None, value, _upstream_calls(original)))
        for key, value in job.kwargs.items():
            if key in config_args or type(value).__name__ == "JobInfo":
                continue
            if failed:
                value = stand_in(registry, value)
            records.append((None, key, value, _upstream_calls(expr.kwargs.get(key))))
        return records

    def _fail_job(self, job: Job, error: Any, error_traceback: Any) -> None:
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
        self.report.failed(job)
        interrupted = isinstance(error, JobInterrupted)
        if not interrupted:  # Ctrl-C: one summary line, not one per unfinished job
            self.logger.error(f"*** Reject Job {job.id[:8]}:  {format_job_call(job)}:")
        if getattr(error, "__redun_job__", None) is None and not any(
            child.status == "FAILED" for child in job.child_jobs
        ):
            # Where the error started: the job named in the CLI's one-line error.
            try:
                error.__redun_job__ = f"{job.id[:8]}: {job.task_name}"
            except Exception:  # pragma: no cover - exceptions with __slots__
                pass
        if not interrupted:
            self._failed.append(job)
        if job.eval_hash is not None and job.options.get("prov") is not False:
            error_value = ErrorValue(error, trace)
            try:
                result_hash, rows = self.recorder.value_row(error_value)
            except Exception:
                error_value = ErrorValue(RuntimeError(repr(error)), trace)
                result_hash, rows = self.recorder.value_row(error_value)
            children = [child.call_hash for child in job.child_jobs if child.call_hash]
            job.call_hash = hash_call_node(job.task.hash, job.args_hash, result_hash, children)
            job.subtree_tasks = {job.task.hash}
            self.recorder.call_node(
                job, job.call_hash, result_hash, rows, children, self._arg_records(job, True)
            )
            self.recorder.job_ended(job)
        # Arguments are kept: the failure traceback shows them.
        job.result_promise.do_reject(error)


def stand_in(registry: Any, value: Any) -> Any:
    """``value`` if it can be hashed, else a description of it to record in its place."""
    try:
        registry.get_hash(value)
    except Exception as error:
        return f"<unhashable {type(value).__qualname__}: {error}>"
    return value


def _upstream_calls(value: Any) -> tuple[str, ...]:
    """The calls an argument expression came from, as upstream redun records them: a task
    call links to that call alone (not to what it was computed from); operators, item
    access and scheduler tasks are looked through to the calls they were applied to."""
    if type(value) in PLAIN_LEAF_TYPES:
        return ()
    found: dict[str, None] = {}
    seen: set[int] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        item_type = type(item)
        if item_type in PLAIN_LEAF_TYPES:
            continue
        if isinstance(item, TaskExpression) and not isinstance(item, SchedulerExpression):
            if item.call_hash:
                found[item.call_hash] = None
        elif isinstance(item, Expression):
            if id(item) not in seen:
                seen.add(id(item))
                stack.extend(item._upstreams)
        elif item_type is dict:
            stack.extend(item.values())
        elif item_type in (list, tuple, set) or is_namedtuple(item):
            stack.extend(item)
    return tuple(found)


__all__ = ["JobRunner", "Promise"]
