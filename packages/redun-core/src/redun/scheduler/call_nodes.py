"""A settled job's call node: its hash, the tasks of its subtree, and what it records.

A call node is the provenance of one call: the task, its arguments (each with the calls
it came from, so ``redun log`` and the dataflow views can walk a result back through its
inputs), its result and its children's call nodes. A failed job gets one too, whose
result is the error; an argument that cannot be hashed (why it failed) is recorded as a
description.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from redun.expression import Expression, SchedulerExpression, TaskExpression
from redun.hashing import hash_call_node
from redun.scheduler.errors import ErrorValue, Traceback
from redun.value.nested import PLAIN_LEAF_TYPES, is_namedtuple

if TYPE_CHECKING:
    from redun.backends.base import RedunBackend
    from redun.scheduler.job import Job
    from redun.scheduler.recording import Recorder
    from redun.value import TypeRegistry

# Children above which a cached job checks whether its call node is already recorded.
RECHECK_CHILDREN = 16

# (position, keyword, value, call hashes it came from), one per recorded argument.
ArgRecord = tuple[int | None, str | None, Any, tuple[str, ...]]


def record_result(
    recorder: Recorder,
    registry: TypeRegistry,
    backend: RedunBackend,
    job: Job,
    value: Any,
    call_hash: str | None,
    recorded: bool,
    result_hash: str | None,
) -> Exception | None:
    """Give a finished ``job`` its call hash and subtree, and record its call node with
    ``value`` as its result.

    ``call_hash`` is given for a cache hit that replays a recorded one; ``recorded``
    means the node is known to be in the backend already (a cached leaf job): only the
    job's own row is written then. Returns the error when ``value`` cannot be hashed
    (the job then fails; nothing is recorded).
    """
    prov = job.options.get("prov") is not False
    try:
        if prov and not recorded:
            result_hash, result_rows = recorder.value_row(value, result_hash)
        else:
            result_hash, result_rows = result_hash or registry.get_hash(value), []
    except Exception as error:
        return error
    children = [child.call_hash for child in job.child_jobs if child.call_hash]
    if call_hash is None:
        call_hash = hash_call_node(job.task.hash, job.args_hash, result_hash, children)
    if (
        prov
        and not recorded
        and job.was_cached
        and len(children) >= RECHECK_CHILDREN
        and backend.get_existing_call_nodes([call_hash])
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
            records = arg_records(registry, job)
            recorder.call_node(job, call_hash, result_hash, result_rows, children, records)
            if job._context:
                recorder.call_node_context(call_hash, job._context)
        recorder.job_ended(job)
    return None


def record_failed_call(
    recorder: Recorder, registry: TypeRegistry, job: Job, error: BaseException, trace: Traceback
) -> None:
    """Record a failed ``job``'s call node, whose result is the error (or an Exception
    holding its repr, when the error itself cannot be pickled)."""
    error_value = ErrorValue(error, trace)
    try:
        # value_row would store an unpicklable value as a description string; an error
        # must stay an ErrorValue, so it falls back to a plain Exception as upstream's.
        registry.serialize(error_value)
    except Exception:
        fallback = Exception(repr(error))
        # The traceback holds the error too: it gets the stand-in as well.
        error_value = ErrorValue(fallback, Traceback(fallback, trace.frames, trace.logs))
    result_hash, rows = recorder.value_row(error_value)
    children = [child.call_hash for child in job.child_jobs if child.call_hash]
    job.call_hash = hash_call_node(job.task.hash, job.args_hash, result_hash, children)
    # As for a success: arguments built from this call (a caught error) link back to it.
    job.expr.call_hash = job.call_hash
    job.subtree_tasks = {job.task.hash}
    records = arg_records(registry, job, failed=True)
    recorder.call_node(job, job.call_hash, result_hash, rows, children, records)
    recorder.job_ended(job)


def arg_records(registry: TypeRegistry, job: Job, failed: bool = False) -> list[ArgRecord]:
    """Each argument of ``job`` with the calls it came from. ``failed``: stand in for
    arguments that cannot be hashed (see :func:`stand_in`)."""
    expr = job.expr
    records: list[ArgRecord] = []
    config_args = job.options.get("config_args") or ()
    for i, value in enumerate(job.args):
        original = expr.args[i] if i < len(expr.args) else None
        if failed:
            value = stand_in(registry, value)
        records.append((i, None, value, upstream_calls(original)))
    for key, value in job.kwargs.items():
        if key in config_args or type(value).__name__ == "JobInfo":
            continue
        if failed:
            value = stand_in(registry, value)
        records.append((None, key, value, upstream_calls(expr.kwargs.get(key))))
    return records


def stand_in(registry: Any, value: Any) -> Any:
    """``value`` if it can be hashed, else a description of it to record in its place."""
    try:
        registry.get_hash(value)
    except Exception as error:
        return f"<unhashable {type(value).__qualname__}: {error}>"
    return value


def upstream_calls(value: Any) -> tuple[str, ...]:
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
