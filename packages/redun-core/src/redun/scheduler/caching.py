"""Backend cache lookups, batched per wave of ready jobs.

Jobs that may be served from the backend are queued; when the scheduler's event queue
runs dry, one query answers every queued eval hash, one more fetches the values. Errors
are never replayed, and a value whose ``is_valid`` fails counts as a miss. The checker
only answers: it returns each job's hit or miss, and the job runner acts on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from redun.expression import Expression
from redun.hashing import hash_call_node
from redun.scheduler.evaluation import contains_expression
from redun.scheduler.report import trim
from redun.task import CacheCheckValid, CacheResult
from redun.value.nested import PLAIN_LEAF_TYPES, iter_nested_value

if TYPE_CHECKING:
    from redun.backends.base import RedunBackend
    from redun.scheduler.job import Job
    from redun.task_registry import TaskRegistry
    from redun.value import TypeRegistry

# Most jobs one cache lookup reads rows for (see ``CacheChecker.take_pending``).
LOOKUP_BATCH = 2000


@dataclass(slots=True)
class CacheHit:
    """A cached result for a job.

    ``kind`` is ULTIMATE for a shallow check's hit (``call_hash`` is the recorded call
    node it replays) or SINGLE; ``recorded_call`` is set when a single hit's leaf call
    node is known to be recorded already (only the job's own row needs writing then).
    """

    value: Any
    kind: CacheResult
    call_hash: str | None = None
    recorded_call: str | None = None
    value_hash: str | None = None


class CacheChecker:
    """Answers whether queued jobs can be served from the backend, in batches."""

    def __init__(
        self, backend: RedunBackend, type_registry: TypeRegistry, task_registry: TaskRegistry
    ) -> None:
        self.backend = backend
        self.type_registry = type_registry
        self.task_registry = task_registry
        self._pending: list[Job] = []
        # Why the last lookup missed where a result existed: job id -> the result whose
        # files changed or vanished, for upstream's "Cached result is no longer valid".
        self.invalid_results: dict[str, str] = {}

    def reset(self) -> None:
        self._pending = []
        self.invalid_results = {}

    def queue(self, job: Job) -> None:
        self._pending.append(job)

    def has_pending(self) -> bool:
        return bool(self._pending)

    def take_pending(self) -> list[Job]:
        """The first ``LOOKUP_BATCH`` queued jobs, in order; the rest stay queued.

        One lookup holds every row it read, and every value it decoded, until its jobs
        are settled: a 100,000-job cached fan-out looked up at once held 100 MB of rows
        at its peak. Batches of a few thousand cost no more queries per job.
        """
        if len(self._pending) <= LOOKUP_BATCH:
            jobs, self._pending = self._pending, []
            return jobs
        jobs = self._pending[:LOOKUP_BATCH]
        del self._pending[:LOOKUP_BATCH]
        return jobs

    def lookup(self, jobs: list[Job]) -> list[tuple[Job, CacheHit | None]]:
        """Each job with its hit, or None for a miss.

        Shallow hits and misses come in job order, then the single-reduction hits: a
        leaf result's call node is fully determined, so one query tells which are
        already recorded. A miss whose eval hash the backend has never seen is marked
        ``eval_known_new``.
        """
        backend = self.backend
        # Async tasks use the ultimate-reduction cache only (their awaited calls happen
        # inside the body, so a first-round result cannot tell whether those changed).
        shallow_hits: dict[str, CacheHit] = {}
        for job in jobs:
            if job.options.get("check_valid") == CacheCheckValid.SHALLOW or job.task.is_async():
                hit = self._ultimate_lookup(job)
                if hit is not None:
                    shallow_hits[job.id] = hit
        rest = [j for j in jobs if j.id not in shallow_hits and not j.task.is_async()]
        evals = backend.get_evaluations([j.eval_hash for j in rest]) if rest else {}
        values = backend.get_values(list(set(evals.values()))) if evals else {}
        registry = self.type_registry
        decoded: dict[str, Any] = {}
        answers: list[tuple[Job, CacheHit | None]] = []
        single: list[tuple[Job, CacheHit]] = []
        for job in jobs:
            shallow = shallow_hits.get(job.id)
            if shallow is not None:
                answers.append((job, shallow))
                continue
            if job.task.is_async():
                answers.append((job, None))
                continue
            value_hash = evals.get(job.eval_hash)
            row = values.get(value_hash) if value_hash else None
            if row is None:
                job.eval_known_new = value_hash is None
                answers.append((job, None))
                continue
            type_name, _format, data = row
            if type_name == "redun.ErrorValue":
                answers.append((job, None))
                continue
            value = None
            try:
                if value_hash in decoded:
                    value = decoded[value_hash]
                else:
                    value = decoded[value_hash] = registry.deserialize(type_name, data)
                    if isinstance(value, Expression):
                        # A recorded expression's value hash is its hash: never re-pickle
                        # a fan-out's thousands of calls to find it again.
                        value.__dict__.setdefault("_hash", None)
                        if value.__dict__["_hash"] is None:
                            value.__dict__["_hash"] = value_hash
                valid = _is_valid(registry, value)
            except Exception:
                valid = False
            if not valid:
                self.invalid_results[job.id] = (
                    trim(repr(value)) if value is not None else f"<{type_name}>"
                )
                answers.append((job, None))
                continue
            single.append((job, CacheHit(value, CacheResult.SINGLE, value_hash=value_hash)))
        self._find_recorded_calls(single)
        return answers + single

    def _find_recorded_calls(self, hits: list[tuple[Job, CacheHit]]) -> None:
        leaf_calls: dict[str, str] = {}
        for job, hit in hits:
            if not contains_expression(hit.value):
                leaf_calls[job.id] = hash_call_node(
                    job.task.hash, job.args_hash, hit.value_hash, []
                )
        if not leaf_calls:
            return
        known = self.backend.get_existing_call_nodes(list(leaf_calls.values()))
        for job, hit in hits:
            call_hash = leaf_calls.get(job.id)
            if call_hash is not None and call_hash in known:
                hit.recorded_call = call_hash

    def explain_miss(self, job: Job) -> str:
        """Why ``job`` missed, as upstream's dry run says it: a new task (its code
        changed), new arguments, or a new call; the backend may not know."""
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
            return (
                f"New task '{task.fullname}()' with previous arguments "
                f"(task_hash={reason['call_task_hash'][:8]} --> {task.hash[:8]}, "
                f"args_hash={job.args_hash[:8]})."
            )
        if kind == "new_args":
            return (
                f"Existing task '{task.fullname}()' is called with new arguments "
                f"(task_hash={task.hash[:8]}, "
                f"args_hash={reason['call_args_hash'][:8]} --> {job.args_hash[:8]})."
            )
        if kind == "new_call":
            return f"New task '{task.fullname}()' is called with new arguments ({hashes})."
        return f"Cannot determine reason for cache miss of '{task.fullname}()' ({hashes})."

    def _ultimate_lookup(self, job: Job) -> CacheHit | None:
        task_registry = self.task_registry
        context_hash = job.context_hash
        for hit in self.backend.get_call_nodes(job.task.hash, job.args_hash):
            if context_hash is not None and context_hash not in hit.contexts:
                # A call under a context is replayed only from a call under the same one
                # (as upstream redun; a call without context accepts any).
                continue
            if not all(task_registry.get(hash=t) is not None for t in hit.subtree_tasks):
                continue
            row = self.backend.get_values([hit.value_hash]).get(hit.value_hash)
            if row is None or row[0] == "redun.ErrorValue":
                continue
            try:
                value = self.type_registry.deserialize(row[0], row[2])
                if not _is_valid(self.type_registry, value):
                    continue
            except Exception:
                continue
            job.subtree_tasks = set(hit.subtree_tasks)
            return CacheHit(value, CacheResult.ULTIMATE, call_hash=hit.call_hash)
        return None


def _is_valid(registry: Any, value: Any) -> bool:
    if type(value) in PLAIN_LEAF_TYPES:
        return True
    return all(registry.is_valid(item) for item in iter_nested_value(value))
