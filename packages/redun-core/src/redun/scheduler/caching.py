"""Backend cache lookups, batched per wave of ready jobs.

Jobs that may be served from the backend are queued; when the scheduler's event queue
runs dry, one query answers every queued eval hash, one more fetches the values. Errors
are never replayed, and a value whose ``is_valid`` fails counts as a miss.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from redun.hashing import hash_call_node
from redun.scheduler.evaluation import contains_expression
from redun.scheduler.report import format_job_call, trim
from redun.task import CacheCheckValid, CacheResult
from redun.value.nested import PLAIN_LEAF_TYPES, iter_nested_value

if TYPE_CHECKING:
    from redun.scheduler.job import Job
    from redun.scheduler.scheduler import Scheduler

# Cache hits settled between handoffs of their rows to the writer.
HANDOFF_HITS = 1000


class CacheChecker:
    def __init__(self, scheduler: Scheduler) -> None:
        self.scheduler = scheduler
        self._pending: list[Job] = []

    def reset(self) -> None:
        self._pending = []

    def queue(self, job: Job) -> None:
        self._pending.append(job)

    def has_pending(self) -> bool:
        return bool(self._pending)

    def process_pending(self) -> None:
        jobs, self._pending = self._pending, []
        scheduler = self.scheduler
        if scheduler._stopping:
            # The workflow failed before these were looked up: they never start.
            for job in jobs:
                scheduler.recorder.discard_held(job)
            return
        backend = scheduler.backend
        # Async tasks use the ultimate-reduction cache only (their awaited calls happen
        # inside the body, so a first-round result cannot tell whether those changed).
        shallow = [
            j
            for j in jobs
            if j.options.get("check_valid") == CacheCheckValid.SHALLOW or j.task.is_async()
        ]
        shallow_hits: dict[str, tuple[Any, str]] = {}
        for job in shallow:
            hit = self._ultimate_lookup(job)
            if hit is not None:
                shallow_hits[job.id] = hit
        rest = [j for j in jobs if j.id not in shallow_hits and not j.task.is_async()]
        evals = backend.get_evaluations([j.eval_hash for j in rest]) if rest else {}
        values = backend.get_values(list(set(evals.values()))) if evals else {}
        registry = scheduler.type_registry
        release = scheduler.recorder.release_start
        decoded: dict[str, Any] = {}
        hits: list[tuple[Job, Any, str]] = []
        for job in jobs:
            if job.id in shallow_hits:
                value, call_hash = shallow_hits[job.id]
                release(job)
                self._hit(job, value, CacheResult.ULTIMATE, call_hash)
                continue
            if job.task.is_async():
                release(job)
                scheduler._submit(job, reason="new")
                continue
            value_hash = evals.get(job.eval_hash)
            row = values.get(value_hash) if value_hash else None
            if row is None:
                job.eval_known_new = value_hash is None
                release(job)
                scheduler._submit(job, reason="new" if value_hash is None else "missing value")
                continue
            type_name, _format, data = row
            if type_name == "redun.ErrorValue":
                release(job)
                scheduler._submit(job, reason="previous error")
                continue
            value = None
            try:
                if value_hash in decoded:
                    value = decoded[value_hash]
                else:
                    value = decoded[value_hash] = registry.deserialize(type_name, data)
                valid = _is_valid(registry, value)
            except Exception:
                valid = False
            if not valid:
                release(job)
                # As upstream says it: the result exists but a file in it changed or vanished.
                shown = trim(repr(value)) if value is not None else f"<{type_name}>"
                scheduler._job_line(
                    f"Miss   Job {job.id[:8]}:  Cached result is no longer valid "
                    f"(result={shown}, eval_hash={job.eval_hash[:8]})."
                )
                scheduler._submit(job, reason="invalid cached value")
                continue
            hits.append((job, value, value_hash))
        self._settle_hits(hits)

    def _settle_hits(self, hits: list[tuple[Job, Any, str]]) -> None:
        """Single-reduction hits. A leaf result's call node is fully determined now, so one
        query tells which are already recorded and need no rewriting."""
        leaf_calls: dict[str, str] = {}
        for job, value, value_hash in hits:
            if not contains_expression(value):
                leaf_calls[job.id] = hash_call_node(job.task.hash, job.args_hash, value_hash, [])
        known = (
            self.scheduler.backend.get_existing_call_nodes(list(leaf_calls.values()))
            if leaf_calls
            else set()
        )
        recorder = self.scheduler.recorder
        for count, (job, value, value_hash) in enumerate(hits, 1):
            if count % HANDOFF_HITS == 0:
                # Hand settled jobs' rows to the writer as we go, so it commits them
                # alongside instead of after the last hit.
                recorder.flush_pending()
            recorder.release_start(job)
            call_hash = leaf_calls.get(job.id)
            if call_hash is not None and call_hash in known:
                self._hit(
                    job,
                    value,
                    CacheResult.SINGLE,
                    None,
                    recorded_call=call_hash,
                    value_hash=value_hash,
                )
            else:
                self._hit(job, value, CacheResult.SINGLE, None)

    def _ultimate_lookup(self, job: Job) -> tuple[Any, str] | None:
        scheduler = self.scheduler
        task_registry = scheduler.task_registry
        context_hash = job.context_hash
        for hit in scheduler.backend.get_call_nodes(job.task.hash, job.args_hash):
            if context_hash is not None and context_hash not in hit.contexts:
                # A call under a context is replayed only from a call under the same one
                # (as upstream redun; a call without context accepts any).
                continue
            if not all(task_registry.get(hash=t) is not None for t in hit.subtree_tasks):
                continue
            row = scheduler.backend.get_values([hit.value_hash]).get(hit.value_hash)
            if row is None or row[0] == "redun.ErrorValue":
                continue
            try:
                value = scheduler.type_registry.deserialize(row[0], row[2])
                if not _is_valid(scheduler.type_registry, value):
                    continue
            except Exception:
                continue
            job.subtree_tasks = set(hit.subtree_tasks)
            return value, hit.call_hash
        return None

    def _hit(
        self,
        job: Job,
        value: Any,
        kind: CacheResult,
        call_hash: str | None,
        recorded_call: str | None = None,
        value_hash: str | None = None,
    ) -> None:
        scheduler = self.scheduler
        job.was_cached = True
        job.cache_type = kind
        if call_hash:  # an ultimate (shallow) hit, worded as upstream redun does
            hashes = (
                f"eval_hash={job.eval_hash[:8]}, check_valid=shallow, call_hash={call_hash[:8]}"
            )
        else:
            hashes = f"eval_hash={job.eval_hash[:8]}, call_hash=None"
        scheduler._job_line(f"Cached Job {job.id[:8]}:  {format_job_call(job)} ({hashes})")
        scheduler.report.cached(job)
        if kind == CacheResult.ULTIMATE:
            scheduler._finish_job(job, value, call_hash=call_hash)
        elif recorded_call is not None:
            job.subtree_tasks = job.task.own_subtree
            scheduler._finish_job(
                job, value, call_hash=recorded_call, recorded=True, result_hash=value_hash
            )
        else:
            scheduler._resolve_result(job, value)


def _is_valid(registry: Any, value: Any) -> bool:
    if type(value) in PLAIN_LEAF_TYPES:
        return True
    return all(registry.is_valid(item) for item in iter_nested_value(value))
