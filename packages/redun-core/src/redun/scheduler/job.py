"""Job and Execution: one evaluation of a TaskExpression, and one run of a workflow."""

from __future__ import annotations

import os
import random
import uuid
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from redun.expression import TaskExpression
    from redun.promise import Promise
    from redun.task import Task


# Seeded once from the OS: ids need uniqueness, not secrecy, and urandom per job is slow.
_rng = random.Random(int.from_bytes(os.urandom(16), "big"))


# Random bits with the version-4 and RFC 4122 variant bits forced, as uuid.UUID does.
_V4_KEEP = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)
_V4_SET = (0x4000 << 64) | (0x8000 << 48)


def new_job_id() -> str:
    """A version-4 UUID string without a system call or a UUID object per job (ids need
    uniqueness, not secrecy)."""
    h = "%032x" % (_rng.getrandbits(128) & _V4_KEEP | _V4_SET)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class Execution:
    """One ``Scheduler.run``; its root job is the top of the job tree."""

    def __init__(self, id: str | None = None) -> None:
        self.id = id or str(uuid.uuid4())
        self.job: Job | None = None
        # Known before the root job exists, so the execution row can be written first.
        self.root_job_id = new_job_id()
        # Set when this run extends another execution under one of its jobs (subrun).
        self.parent_job_id: str | None = None

    def __repr__(self) -> str:
        return f"Execution(id={self.id[:8]})"


class Job:
    """One evaluation of one TaskExpression.

    Arguments are dropped once the job has been hashed and run, so a large fan-out does
    not keep every input alive until the execution ends.
    """

    __slots__ = (
        "id",
        "expr",
        "task",
        "task_name",
        "execution",
        "parent_job",
        "child_jobs",
        "args",
        "kwargs",
        "options",
        "eval_hash",
        "args_hash",
        "call_hash",
        "context_hash",
        "was_cached",
        "cache_type",
        "status",
        "result_promise",
        "result",
        "limits",
        "arg_upstreams",
        "subtree_tasks",
        "start_time",
        "handle_forks",
        "has_handles",
        "eval_known_new",
        "_context",
        "_child_index",
    )

    def __init__(
        self,
        task: Task,
        expr: TaskExpression,
        id: str | None = None,
        parent_job: Job | None = None,
        execution: Execution | None = None,
    ) -> None:
        self.id = id or new_job_id()
        self.task = task
        self.task_name = task.fullname
        self.expr = expr
        self.parent_job = parent_job
        self.execution = execution
        self.child_jobs: list[Job] = []
        self.args: tuple = ()
        self.kwargs: dict = {}
        self.options: dict = {}
        self.eval_hash: str | None = None
        self.args_hash: str | None = None
        self.call_hash: str | None = None
        self.context_hash: str | None = None
        self.was_cached = False
        self.cache_type: Any = None
        self.status = "PENDING"
        self.result_promise: Promise | None = None
        self.result: Any = None
        self.limits: dict[str, int] = {}
        self.arg_upstreams: tuple[tuple[int | None, str | None, tuple[str, ...]], ...] = ()
        self.subtree_tasks: set[str] | frozenset[str] | None = None
        self.start_time: Any = None
        # Handle hash -> times it was passed to a child call (its fork key); created by
        # the first handle passed on (most jobs never pass one).
        self.handle_forks: dict[str, int] | None = None
        self.has_handles = False
        # The cache lookup found no entry for this eval hash: recording it needs no
        # replacement of an older one.
        self.eval_known_new = False
        self._context: dict | None = None
        self._child_index = -1
        if parent_job is not None:
            siblings = parent_job.child_jobs
            self._child_index = len(siblings)
            siblings.append(self)

    def __repr__(self) -> str:
        return f"Job(id={self.id[:8]}, task_name={self.task_name})"

    @property
    def execution_id(self) -> str | None:
        return self.execution.id if self.execution else None

    def get_option(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)

    def get_options(self) -> dict:
        return self.options

    def get_raw_options(self) -> dict:
        """The job's options before lazy ones are evaluated: the task's, then those its
        parent job exports, then the call's own (``task.options(...)(...)``)."""
        parent = self.parent_job
        exported = (parent.options.get("_exported") or {}) if parent is not None else {}
        return {**self.task.get_task_options(), **exported, **self.expr._options}

    def get_limits(self) -> dict[str, int]:
        return self.limits

    def get_context(self) -> dict:
        return self._context or {}

    @property
    def env_key(self) -> str:
        """Where an expression evaluated under this job is deduplicated (its own calls)."""
        return self.id


class JobEnv(Job):
    """A parent job seen with the context of one of its calls.

    A call's default arguments are evaluated in the caller (their jobs are the parent
    job's children) but with the called job's context, as upstream redun does: a
    ``get_context()`` default must read the context its own call runs with. Each env has
    its own key, so expressions evaluated in it (the default expression objects, shared
    by every call of the task) are never merged with another call's.
    """

    __slots__ = ("job", "_env_key")

    def __init__(self, job: Job | None, context: dict | None, key: str) -> None:
        self.job = job
        self._context = context
        self._env_key = key

    def __getattr__(self, name: str) -> Any:
        job = object.__getattribute__(self, "job")
        if job is None:
            # Defaults of the root call: a parent with no options and no record.
            if name == "child_jobs":
                return []
            try:
                return _NO_PARENT[name]
            except KeyError:
                raise AttributeError(name) from None
        return getattr(job, name)

    @property
    def env_key(self) -> str:
        return self._env_key

    def __repr__(self) -> str:
        return f"JobEnv({self.job!r})"


# What a root call's defaults see as their parent.
_NO_PARENT: dict[str, Any] = {
    "id": None,
    "options": {},
    "parent_job": None,
    "execution": None,
    "task_name": "",
}


class DoneJob:
    """What remains of a job once it finished and was recorded: what its parent's call
    node, a twin call (CSE), the dry-run plan and the Ctrl-C count still read.

    A finished job used to stay whole in its parent's ``child_jobs`` and in the CSE map
    until the run ended: about a kilobyte each (options, arguments, hashes, times) that
    nothing would read again, 100 MB in a 100,000-job fan-out.
    """

    __slots__ = (
        "id",
        "task_name",
        "status",
        "call_hash",
        "subtree_tasks",
        "result_promise",
        "expr",
        "child_jobs",
        "was_cached",
    )

    result = None

    def __init__(self, job: Job) -> None:
        self.id = job.id
        self.task_name = job.task_name
        self.status = job.status
        self.call_hash = job.call_hash
        self.subtree_tasks = job.subtree_tasks
        self.result_promise = job.result_promise
        self.expr = job.expr
        self.child_jobs = job.child_jobs
        self.was_cached = job.was_cached

    def __repr__(self) -> str:
        return f"DoneJob(id={self.id}, task_name={self.task_name}, status={self.status})"


def retire(job: Job, unique_jobs: dict) -> None:
    """Swap a finished, recorded ``job`` for its :class:`DoneJob` where the run keeps it
    (its parent's ``child_jobs``, the CSE map), so the Job itself can be freed."""
    done: DoneJob | None = None
    parent = job.parent_job
    if parent is not None and job._child_index >= 0:
        siblings = parent.child_jobs
        if job._child_index < len(siblings) and siblings[job._child_index] is job:
            done = DoneJob(job)
            siblings[job._child_index] = done
    key = (job.eval_hash, job.context_hash)
    if unique_jobs.get(key) is job:
        unique_jobs[key] = done or DoneJob(job)
