"""A job before it runs: its options, its context, its omitted defaults and its hashes.

``JobSetup`` brings a new job to concrete arguments, evaluating what is lazy as the
caller sees it; ``hash_job`` then gives it its hashes. The job runner (``jobs.py``)
owns the setup and decides what happens to the job next.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from redun.context_values import merge_dicts
from redun.hashing import hash_arguments, hash_eval_from_args_hash
from redun.promise import Promise
from redun.scheduler.call_nodes import stand_in
from redun.scheduler.evaluation import contains_expression
from redun.scheduler.job import JobEnv
from redun.scheduler.job_info import JobInfo, fill_job_info
from redun.scheduler.processing import preprocess_args
from redun.task import CacheScope
from redun.task.options import narrower_scope

if TYPE_CHECKING:
    from redun.scheduler.evaluation import Evaluator
    from redun.scheduler.job import Job
    from redun.value import TypeRegistry


class JobSetup:
    """Evaluates a new job's lazy options, then its arguments and omitted defaults.

    ``ready(job, args, kwargs)`` receives the job with its options and context set and
    its arguments concrete; ``abandon(job, error)`` a job whose options or arguments
    failed to evaluate (it never starts).
    """

    def __init__(
        self,
        evaluator: Evaluator,
        ready: Callable[[Job, tuple, dict], None],
        abandon: Callable[[Job, Any], None],
    ) -> None:
        self.evaluator = evaluator
        self.ready = ready
        self.abandon = abandon

    def start(self, job: Job, run_context: dict | None) -> None:
        """Set ``job`` up (``run_context``: the context of a job without a parent).

        Its options are the task's, then those its parent exports, then the call's own;
        those given as expressions are evaluated first, as the parent sees them.
        """
        expr = job.expr
        task = job.task
        parent = job.parent_job
        options = task.get_task_options()
        exported: dict = (parent.options.get("_exported") or {}) if parent else {}
        if exported or expr._options:
            options = {**options, **exported, **expr._options}
        if task.has_lazy_options or (expr._options and contains_expression(expr._options)):
            self.evaluator.evaluate(options, parent).then(
                lambda evaluated: self._configure(job, evaluated, exported, run_context),
                lambda error: self.abandon(job, error),
            )
            return
        self._configure(job, options, exported, run_context)

    def _configure(self, job: Job, options: dict, exported: dict, run_context: dict | None) -> None:
        """Give ``job`` its final options and context, then evaluate its arguments.

        Options: what it exports passes on to its children, a parent without provenance
        has children without it, and a task's ``max_cache_scope`` narrows the call's
        ``cache_scope``. Context: the parent's (``run_context`` for the root job), then
        this call's overrides. Omitted defaults join the kwargs (so ``f(1)`` and
        ``f(1, b=2)`` share a cache key when 2 is ``b``'s default).
        """
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

        parent_context = parent._context if parent is not None else run_context
        override = options.get("_context_override")
        if override:
            job._context = merge_dicts([parent_context or {}, override])
        else:
            job._context = parent_context or None

        names, defaults, _ = task.call_signature
        args, kwargs = expr.args, expr.kwargs
        missing: dict = {}
        if defaults:
            bound = set(names[: len(args)]) | set(kwargs)
            missing = {name: value for name, value in defaults if name not in bound}
        lazy_args = contains_expression(args) or contains_expression(kwargs)
        lazy_defaults = bool(missing) and contains_expression(missing)
        if not lazy_args and not lazy_defaults:
            self.ready(job, args, {**kwargs, **missing} if missing else kwargs)
            return
        given = self.evaluator.evaluate((args, kwargs), parent)
        if lazy_defaults:
            # In the caller, with this call's context (upstream redun's JobEnv): a
            # get_context() default reads the context its own call runs with.
            env = JobEnv(parent, job._context, f"{job.id}:defaults")
            filled = self.evaluator.evaluate(missing, env)
        else:
            filled = missing
        Promise.all([given, filled]).then(
            lambda done: self.ready(job, done[0][0], {**done[0][1], **done[1]}),
            lambda error: self.abandon(job, error),
        )


def _same_arguments_hash(expr: Any, args: tuple, kwargs: dict) -> str | None:
    """The args hash the call's expression already computed (it is evaluated once per
    distinct call, by hash), when the job's arguments are the very objects it hashed:
    plain values, no defaults filled in, nothing preprocessed."""
    fields = expr.__dict__  # never getattr: a missing attribute is a lazy expression
    known = fields.get("_args_hash")
    if known is None:
        return None
    expr_args, expr_kwargs = fields.get("args"), fields.get("kwargs")
    if len(args) != len(expr_args) or len(kwargs) != len(expr_kwargs):
        return None
    for mine, theirs in zip(args, expr_args):
        if mine is not theirs:
            return None
    for key, value in kwargs.items():
        if key not in expr_kwargs or expr_kwargs[key] is not value:
            return None
    return known


def hash_job(registry: TypeRegistry, job: Job, args: tuple, kwargs: dict) -> Exception | None:
    """Preprocess ``job``'s concrete arguments and hash them into its args, eval and
    context hashes, leaving the arguments on the job.

    Returns the error when an argument cannot be hashed (a lock, a generator): the job
    then fails, recorded by :func:`hash_stand_ins`. ``config_args`` and ``JobInfo``
    parameters are left out of the hash; a ``JobInfo`` is filled with the job's ids.
    """
    try:
        args, kwargs, job.has_handles = preprocess_args(registry, job, args, kwargs)
        config_args = job.options.get("config_args")
        hash_kwargs = kwargs
        has_info = bool(kwargs) and any(isinstance(v, JobInfo) for v in kwargs.values())
        if config_args or has_info:
            hash_kwargs = {
                k: v
                for k, v in kwargs.items()
                if not (config_args and k in config_args) and not isinstance(v, JobInfo)
            }
        job.args_hash = _same_arguments_hash(job.expr, args, hash_kwargs) or hash_arguments(
            registry, args, hash_kwargs
        )
    except Exception as error:
        job.args, job.kwargs = args, kwargs
        return error
    job.eval_hash = hash_eval_from_args_hash(job.task.hash, job.args_hash)
    if job._context:
        job.context_hash = registry.get_hash(job._context)
    if has_info:
        kwargs = fill_job_info(job, kwargs)
    job.args, job.kwargs = args, kwargs
    return None


def hash_stand_ins(registry: TypeRegistry, job: Job) -> None:
    """Hash a job whose arguments cannot be hashed, with descriptions standing in for
    those arguments, so its failure is recorded like any other."""
    job.args_hash = hash_arguments(
        registry,
        [stand_in(registry, a) for a in job.args],
        {k: stand_in(registry, v) for k, v in job.kwargs.items()},
    )
    job.eval_hash = hash_eval_from_args_hash(job.task.hash, job.args_hash)
