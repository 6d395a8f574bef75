"""The have/want walk behind push, pull and export: which records must be sent.

Records are immutable and content-addressed, so a destination that already holds a
record also holds everything the record points at (the writer and sync both commit a
record no earlier than its dependencies). The walk therefore goes layer by layer
(Execution -> Job -> CallNode -> Value/Task -> Tag), asks the destination in batched
``IN`` queries which ids of the current layer it has, and only expands the ones it
lacks. The cost of a push is proportional to what is new, not to the repository.

Two records are not immutable and get special care: a job gains its end (call hash,
end time) when it finishes, and a tag stops being current when it is edited. A job the
destination holds unfinished is re-walked and its end copied; the tags of every root
execution are always checked, so ``redun tag add EXEC`` followed by a push is sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from redun.backends.db.tables import (
    Argument,
    ArgumentResult,
    CallEdge,
    CallNode,
    CallSubtreeTask,
    Evaluation,
    Execution,
    Job,
    Subvalue,
    Tag,
    TagEdit,
    Task,
    Value,
)
from redun.hashing import hash_eval_from_args_hash

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

# Bound parameters per IN query; SQLite builds older than 3.32 allow 999.
IN_CHUNK = 500
# Walk order of the layers; each pass drains them in this order.
KINDS = ("Execution", "Job", "CallNode", "Evaluation", "Task", "Value", "Tag")


def chunked(items: Sequence[str], size: int = IN_CHUNK) -> Iterator[Sequence[str]]:
    """Consecutive slices of at most ``size`` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class SyncPlan:
    """Ids of the records to copy, per kind; jobs in parent-before-child order."""

    ids: dict[str, list[str]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    # Jobs the destination holds unfinished whose end the source knows.
    job_ends: list[str] = field(default_factory=list)

    @property
    def executions(self) -> int:
        return len(self.ids["Execution"])

    @property
    def records(self) -> int:
        """Records to send (execution, job, call node, value, task, tag, evaluation)."""
        return sum(len(ids) for ids in self.ids.values()) + len(self.job_ends)


def _select_in(conn: Connection, columns: Sequence[Any], key: Any, ids: Sequence[str]) -> list:
    from sqlalchemy import select

    rows: list = []
    for part in chunked(list(ids)):
        rows.extend(conn.execute(select(*columns).where(key.in_(part))))
    return rows


class Walk:
    """One walk from root records of ``src``, pruned at what ``dest`` already has.

    ``dest=None`` prunes nothing (export).
    """

    def __init__(self, src: Connection, dest: Connection | None) -> None:
        self.src = src
        self.dest = dest
        self.plan = SyncPlan()
        self._seen: dict[str, set[str]] = {kind: set() for kind in KINDS}
        self._todo: dict[str, list[str]] = {kind: [] for kind in KINDS}

    def queue(self, kind: str, ids: Iterable[str | None]) -> None:
        seen, todo = self._seen[kind], self._todo[kind]
        for id_ in ids:
            if id_ is not None and id_ not in seen:
                seen.add(id_)
                todo.append(id_)

    def run(self) -> SyncPlan:
        """Expand queued roots until no layer has work left."""
        visits = {
            "Execution": self._executions,
            "Job": self._jobs,
            "CallNode": self._call_nodes,
            "Evaluation": self._evaluations,
            "Task": self._tasks,
            "Value": self._values,
            "Tag": self._tags,
        }
        while any(self._todo.values()):
            for kind in KINDS:
                ids, self._todo[kind] = self._todo[kind], []
                if ids:
                    visits[kind](ids)
        return self.plan

    # -- helpers ---------------------------------------------------------------------

    def _have(self, key: Any, ids: Sequence[str]) -> set[str]:
        if self.dest is None:
            return set()
        return {row[0] for row in _select_in(self.dest, [key], key, ids)}

    def _new(self, kind: str, key: Any, ids: list[str]) -> list[str]:
        have = self._have(key, ids)
        new = [id_ for id_ in ids if id_ not in have]
        self.plan.ids[kind].extend(new)
        return new

    def _queue_tags(self, entity_ids: Sequence[str]) -> None:
        tag = Tag.__table__
        self.queue(
            "Tag",
            (row[0] for row in _select_in(self.src, [tag.c.tag_hash], tag.c.entity_id, entity_ids)),
        )

    # -- layers ----------------------------------------------------------------------

    def _executions(self, ids: list[str]) -> None:
        execution = Execution.__table__
        rows = _select_in(self.src, [execution.c.id, execution.c.job_id], execution.c.id, ids)
        self._new("Execution", execution.c.id, [row[0] for row in rows])
        # Tags can be added to an execution at any time: always check the roots' tags.
        # The root job is re-checked too: the job layer prunes it if it finished there.
        self._queue_tags([row[0] for row in rows])
        self.queue("Job", (row[1] for row in rows))

    def _jobs(self, ids: list[str]) -> None:
        job = Job.__table__
        src_rows = _select_in(
            self.src, [job.c.id, job.c.task_hash, job.c.call_hash, job.c.end_time], job.c.id, ids
        )
        dest_end: dict[str, Any] = {}
        if self.dest is not None:
            for id_, end in _select_in(self.dest, [job.c.id, job.c.end_time], job.c.id, ids):
                dest_end[id_] = end
        expand = []
        for id_, task_hash, call_hash, end_time in src_rows:
            if id_ not in dest_end:
                self.plan.ids["Job"].append(id_)
            elif dest_end[id_] is None and end_time is not None:
                self.plan.job_ends.append(id_)
            else:
                continue
            expand.append(id_)
            self.queue("Task", [task_hash])
            self.queue("CallNode", [call_hash])
        if not expand:
            return
        self._queue_tags(expand)
        self.queue(
            "Job", (row[0] for row in _select_in(self.src, [job.c.id], job.c.parent_id, expand))
        )

    def _call_nodes(self, ids: list[str]) -> None:
        node, edge = CallNode.__table__, CallEdge.__table__
        arg, result = Argument.__table__, ArgumentResult.__table__
        subtree = CallSubtreeTask.__table__
        columns = [node.c.call_hash, node.c.task_hash, node.c.args_hash, node.c.value_hash]
        found = {row[0]: row[1:] for row in _select_in(self.src, columns, node.c.call_hash, ids)}
        new = self._new("CallNode", node.c.call_hash, [id_ for id_ in ids if id_ in found])
        if not new:
            return
        rows = [found[id_] for id_ in new]
        self.queue("Task", (row[0] for row in rows))
        self.queue("Value", (row[2] for row in rows))
        # The single-reduction cache entry of each call, found by its primary key
        # (evaluation.args_hash has no index).
        self.queue("Evaluation", (hash_eval_from_args_hash(r[0], r[1]) for r in rows))
        from sqlalchemy import select

        for part in chunked(new):
            query = (
                select(arg.c.value_hash, result.c.result_call_hash)
                .select_from(arg.outerjoin(result, result.c.arg_hash == arg.c.arg_hash))
                .where(arg.c.call_hash.in_(part))
            )
            for value_hash, upstream in self.src.execute(query):
                self.queue("Value", [value_hash])
                self.queue("CallNode", [upstream])
        self.queue(
            "CallNode",
            (r[0] for r in _select_in(self.src, [edge.c.child_id], edge.c.parent_id, new)),
        )
        self.queue(
            "Task",
            (r[0] for r in _select_in(self.src, [subtree.c.task_hash], subtree.c.call_hash, new)),
        )
        self._queue_tags(new)

    def _evaluations(self, ids: list[str]) -> None:
        evaluation = Evaluation.__table__
        found = _select_in(self.src, [evaluation.c.eval_hash], evaluation.c.eval_hash, ids)
        new = self._new("Evaluation", evaluation.c.eval_hash, [row[0] for row in found])
        columns = [evaluation.c.task_hash, evaluation.c.value_hash]
        for task_hash, value_hash in _select_in(self.src, columns, evaluation.c.eval_hash, new):
            self.queue("Task", [task_hash])
            self.queue("Value", [value_hash])

    def _tasks(self, ids: list[str]) -> None:
        task = Task.__table__
        found = [row[0] for row in _select_in(self.src, [task.c.hash], task.c.hash, ids)]
        new = self._new("Task", task.c.hash, found)
        # A task's pickled definition is a value row with the same hash.
        self.queue("Value", new)
        self._queue_tags(new)

    def _values(self, ids: list[str]) -> None:
        value, subvalue = Value.__table__, Subvalue.__table__
        found = [
            row[0] for row in _select_in(self.src, [value.c.value_hash], value.c.value_hash, ids)
        ]
        new = self._new("Value", value.c.value_hash, found)
        if not new:
            return
        children = _select_in(self.src, [subvalue.c.value_hash], subvalue.c.parent_value_hash, new)
        self.queue("Value", (row[0] for row in children))
        self._queue_tags(new)

    def _tags(self, ids: list[str]) -> None:
        tag, edit = Tag.__table__, TagEdit.__table__
        new = self._new("Tag", tag.c.tag_hash, ids)
        if not new:
            return
        # Edit history in both directions: what this tag replaced and what replaced it.
        self.queue(
            "Tag", (r[0] for r in _select_in(self.src, [edit.c.parent_id], edit.c.child_id, new))
        )
        self.queue(
            "Tag", (r[0] for r in _select_in(self.src, [edit.c.child_id], edit.c.parent_id, new))
        )


def walk(src: Connection, dest: Connection | None, roots: dict[str, Sequence[str]]) -> SyncPlan:
    """Plan the records of ``roots`` (kind -> ids) that ``dest`` lacks."""
    walker = Walk(src, dest)
    for kind, ids in roots.items():
        walker.queue(kind, ids)
    return walker.run()


def all_execution_ids(conn: Connection) -> list[str]:
    """Every execution of a repository, newest first (by root job start)."""
    from sqlalchemy import select

    execution, job = Execution.__table__, Job.__table__
    query = (
        select(execution.c.id)
        .outerjoin(job, job.c.id == execution.c.job_id)
        .order_by(job.c.start_time.desc())
    )
    return [row[0] for row in conn.execute(query)]
