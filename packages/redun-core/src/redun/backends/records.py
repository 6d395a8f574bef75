"""Row types the scheduler hands to a backend.

The scheduler does all hashing and serialization; a backend only stores these rows.
Keeping them plain NamedTuples lets a backend batch them cheaply (``executemany``) and
lets a plugin backend (Postgres) share the exact same write contract.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple


class ValueRow(NamedTuple):
    value_hash: str
    type: str
    format: str
    value: bytes
    # Hashes of values nested inside this one (Files inside a list result, ...).
    subvalues: tuple[str, ...] = ()
    # Set for File-like values: recorded in the ``file`` side table for `redun log PATH`.
    file_path: str | None = None


class TaskRow(NamedTuple):
    hash: str
    name: str
    namespace: str
    source: str


class EvaluationRow(NamedTuple):
    """The single-reduction cache entry of one eval hash.

    A job that ran again (its cached result was invalid: a deleted output File) must
    point the entry at its new result, or every later run reruns it: ``replace`` asks
    for that. It may be False only when the entry is known not to exist yet.
    """

    eval_hash: str
    task_hash: str
    args_hash: str
    value_hash: str
    replace: bool = True


class ArgumentRow(NamedTuple):
    arg_hash: str
    call_hash: str
    value_hash: str
    arg_position: int | None
    arg_key: str | None
    # Call hashes of upstream call nodes whose results flowed into this argument.
    upstreams: tuple[str, ...] = ()


class CallNodeRow(NamedTuple):
    call_hash: str
    task_name: str
    task_hash: str
    args_hash: str
    value_hash: str
    timestamp: datetime
    # Child call hashes in call order (call_edge.call_order is the index).
    children: tuple[str, ...] = ()
    arguments: tuple[ArgumentRow, ...] = ()
    # Every task hash used in this call's subtree, itself included (call_subtree_task).
    subtree_tasks: tuple[str, ...] = ()


class ExecutionRow(NamedTuple):
    id: str
    job_id: str
    # JSON-encoded argv of the run.
    args: str
    updated_time: datetime


class ExecutionUpdateRow(NamedTuple):
    """Heartbeat: sets ``execution.updated_time``."""

    id: str
    updated_time: datetime


class JobStartRow(NamedTuple):
    id: str
    execution_id: str
    parent_id: str | None
    task_hash: str
    start_time: datetime
    cached: bool = False


class JobEndRow(NamedTuple):
    id: str
    call_hash: str | None
    end_time: datetime
    cached: bool


class TagRow(NamedTuple):
    tag_hash: str
    entity_type: str  # "Execution", "Job", "CallNode", "Task", "Value", "Null"
    entity_id: str
    key: str
    value: Any  # JSON-able
    # Tags this one edits (tag_edit rows); they stop being current.
    parents: tuple[str, ...] = ()


class CallNodeHit(NamedTuple):
    """A past call node that may satisfy an ultimate-reduction (shallow) cache lookup."""

    call_hash: str
    value_hash: str
    subtree_tasks: tuple[str, ...]
    # Hashes of the contexts the call was recorded with (its ``redun.context`` tags).
    contexts: tuple[str, ...] = ()


class HandleRow(NamedTuple):
    """One state of a Handle (``handle`` table) and the states it came from (``handle_edge``).

    ``is_valid`` is the state's validity as of this write: a state recorded again by a run
    is current again, even if an earlier run's rollback had invalidated it.
    """

    hash: str
    fullname: str
    value_hash: str
    key: str
    is_valid: bool = True
    # Hashes of the states this one was derived from (fork, call, merge).
    parents: tuple[str, ...] = ()


Row = (
    ValueRow
    | TaskRow
    | EvaluationRow
    | CallNodeRow
    | ExecutionRow
    | ExecutionUpdateRow
    | JobStartRow
    | JobEndRow
    | TagRow
    | HandleRow
)
