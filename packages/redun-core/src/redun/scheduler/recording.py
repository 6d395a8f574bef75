"""Turning finished jobs into provenance rows for the backend.

Every value is serialized and hashed at most once per execution (``_recorded``), and
rows go to the backend's write-behind queue in one ``write`` call per job.
"""

from __future__ import annotations

import json
import pickle
import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from redun.backends.records import (
    ArgumentRow,
    CallNodeRow,
    EvaluationRow,
    ExecutionRow,
    ExecutionUpdateRow,
    JobEndRow,
    JobStartRow,
    Row,
    TagRow,
    TaskRow,
    ValueRow,
)
from redun.expression import Expression
from redun.expression_graph import flat_dumps_if_deep
from redun.handle import Handle, handle_rows
from redun.hashing import hash_argument, hash_tag
from redun.scheduler.evaluation import contains_expression
from redun.value import Value
from redun.value.nested import PLAIN_LEAF_TYPES, iter_nested_value

if TYPE_CHECKING:
    from redun.backends.base import RedunBackend
    from redun.scheduler.job import Job
    from redun.task import Task
    from redun.value import TypeRegistry


_EPOCH = datetime(1970, 1, 1)


def utcnow() -> datetime:
    """Naive UTC now (what the database stores), cheaper than ``datetime.now(UTC)``."""
    return _EPOCH + timedelta(seconds=time.time())


class Recorder:
    """Builds rows for one execution and hands them to the backend."""

    def _write(self, rows: list[Row]) -> None:
        self._pending.extend(rows)

    @property
    def pending_rows(self) -> int:
        """Rows gathered and not yet handed to the writer."""
        return len(self._pending)

    def flush_pending(self, final: bool = False) -> None:
        """Hand the rows gathered since the last call to the backend's writer.

        The scheduler calls this once per wave of events rather than the recorder writing
        per job: one queue handoff (and writer wake-up) for thousands of jobs. ``final``
        also hands over job rows still held for a cache check (a run ending abruptly).
        """
        if final and self._held:
            held, self._held = self._held, {}
            self._pending.extend(held.values())
        if self._pending:
            rows, self._pending = self._pending, []
            self.backend.write(rows)

    def __init__(self, backend: RedunBackend, type_registry: TypeRegistry) -> None:
        self.backend = backend
        self.registry = type_registry
        self._recorded_values: set[str] = set()
        self._recorded_tasks: set[str] = set()
        self._pending: list[Row] = []
        # Job rows held back while the job awaits its cache check (by job id).
        self._held: dict[str, JobStartRow] = {}

    # -- values ---------------------------------------------------------------------
    def value_row(self, value: Any, value_hash: str | None = None) -> tuple[str, list[Row]]:
        """The hash of ``value`` and the rows (itself + nested Files) not yet recorded."""
        registry = self.registry
        value_type = type(value)
        if value_type in PLAIN_LEAF_TYPES:
            data = pickle.dumps(value, protocol=3)
            value_hash = value_hash or registry.get_hash(value, data)
            if value_hash in self._recorded_values:
                return value_hash, []
            self._recorded_values.add(value_hash)
            type_name = registry.get_type_name(value_type)
            return value_hash, [ValueRow(value_hash, type_name, "application/python-pickle", data)]
        value_hash = value_hash or registry.get_hash(value)
        if value_hash in self._recorded_values:
            if isinstance(value, Handle):
                # A state an earlier run of this scheduler recorded may have been rolled
                # back since: recording it again makes it valid again.
                return value_hash, handle_rows(value)
            return value_hash, []
        rows: list[Row] = []
        subvalues: list[str] = []
        for sub in _iter_subvalues(value):
            sub_hash, sub_rows = self.value_row(sub)
            subvalues.append(sub_hash)
            rows.extend(sub_rows)
        try:
            data = _serialize(registry, value)
        except Exception as error:  # unpicklable result: record a description instead
            data = pickle.dumps(f"<unserializable {value_type.__name__}: {error}>", protocol=3)
        file_path = getattr(value, "path", None) if _is_file(value) else None
        rows.append(
            ValueRow(
                value_hash,
                registry.get_type_name(value_type),
                registry.get_serialization_format(value),
                data,
                tuple(dict.fromkeys(subvalues)),
                file_path,
            )
        )
        if isinstance(value, Handle):
            # A handle state also needs its lineage rows (handle, handle_edge).
            rows.extend(handle_rows(value))
        self._recorded_values.add(value_hash)
        return value_hash, rows

    def task_rows(self, task: Task) -> list[Row]:
        if task.hash in self._recorded_tasks:
            return []
        self._recorded_tasks.add(task.hash)
        rows: list[Row] = []
        try:
            data = self.registry.serialize(task)
        except Exception:
            data = b""
        rows.append(ValueRow(task.hash, "redun.Task", "application/python-pickle", data))
        self._recorded_values.add(task.hash)
        rows.append(TaskRow(task.hash, task.name, task.namespace, task.source))
        return rows

    # -- jobs -----------------------------------------------------------------------
    def job_started(self, job: Job, hold: bool = False) -> None:
        """The job's row (and its task's, tags). ``hold`` keeps the job row back until
        :meth:`release_start`: a job awaiting its cache check either hits, and its row
        then goes out together with its end (one insert, not an insert and an update),
        or runs, and goes out then."""
        new_task = job.task.hash not in self._recorded_tasks
        rows = self.task_rows(job.task)
        # @task(tags=...) tags the Task (once); the tags in effect for the call (a
        # call-time .options(tags=...) replaces them) tag the Job, as upstream does.
        task_tags = job.task.get_task_option("tags") if new_task else None
        if task_tags:
            rows.extend(self._tag_rows("Task", job.task.hash, [(k, v) for k, v in task_tags]))
        tags = job.options.get("tags")
        if tags:
            rows.extend(self._tag_rows("Job", job.id, [(key, value) for key, value in tags]))
        start = JobStartRow(
            job.id,
            job.execution_id or "",
            job.parent_job.id
            if job.parent_job
            else (job.execution.parent_job_id if job.execution else None),
            job.task.hash,
            job.start_time or utcnow(),
        )
        if hold:
            self._held[job.id] = start
        else:
            rows.append(start)
        if rows:
            self._write(rows)

    def release_start(self, job: Job) -> None:
        """Queue a held job row (no-op if it was not held)."""
        start = self._held.pop(job.id, None)
        if start is not None:
            self._pending.append(start)

    def discard_held(self, job: Job) -> None:
        """Forget a held job row: the job never starts."""
        self._held.pop(job.id, None)

    def evaluation(self, job: Job, result: Any) -> None:
        """The single-reduction cache entry: eval_hash -> first-round result."""
        if job.eval_hash is None:
            return
        value_hash, rows = self.value_row(result)
        rows.append(
            EvaluationRow(
                job.eval_hash,
                job.task.hash,
                job.args_hash or "",
                value_hash,
                replace=not job.eval_known_new,
            )
        )
        self._write(rows)

    def cache_entry(self, task: Task, eval_hash: str, args_hash: str, value: Any) -> None:
        """An evaluation row written by a scheduler task (``catch``) for itself."""
        rows = self.task_rows(task)
        value_hash, value_rows = self.value_row(value)
        rows.extend(value_rows)
        rows.append(EvaluationRow(eval_hash, task.hash, args_hash, value_hash))
        self._write(rows)

    def call_node(
        self,
        job: Job,
        call_hash: str,
        result_hash: str,
        result_rows: list[Row],
        children: list[str],
        arg_values: list[tuple[int | None, str | None, Any, tuple[str, ...]]],
    ) -> None:
        rows = list(result_rows)
        arguments = self.argument_rows(call_hash, arg_values, rows)
        rows.append(
            CallNodeRow(
                call_hash,
                job.task.fullname,
                job.task.hash,
                job.args_hash or "",
                result_hash,
                utcnow(),
                tuple(children),
                tuple(arguments),
                tuple(job.subtree_tasks or (job.task.hash,)),
            )
        )
        self._write(rows)

    def argument_rows(
        self,
        call_hash: str,
        arg_values: list[tuple[int | None, str | None, Any, tuple[str, ...]]],
        rows: list[Row],
    ) -> list[ArgumentRow]:
        """A call node's argument rows; each argument's value rows go onto ``rows``."""
        arguments = []
        for position, key, value, upstreams in arg_values:
            value_hash, value_rows = self.value_row(value)
            rows.extend(value_rows)
            arguments.append(
                ArgumentRow(
                    hash_argument(call_hash, position, key, value_hash),
                    call_hash,
                    value_hash,
                    position,
                    key,
                    upstreams,
                )
            )
        return arguments

    def call_node_context(self, call_hash: str, context: dict) -> None:
        """The context a call ran with: a value, tagged ``redun.context`` on the call node."""
        context_hash, rows = self.value_row(context)
        rows.append(
            TagRow(
                hash_tag(call_hash, "redun.context", context_hash, []),
                "CallNode",
                call_hash,
                "redun.context",
                context_hash,
            )
        )
        self._write(rows)

    def job_ended(self, job: Job) -> None:
        self._write([JobEndRow(job.id, job.call_hash, utcnow(), job.was_cached)])

    # -- executions and tags ----------------------------------------------------------
    def execution(self, execution_id: str, root_job_id: str, argv: list[str]) -> None:
        self._write([ExecutionRow(execution_id, root_job_id, json.dumps(argv), utcnow())])

    def heartbeat(self, execution_id: str) -> None:
        self._write([ExecutionUpdateRow(execution_id, utcnow())])

    def tags(self, entity_type: str, entity_id: str, tags: list[tuple[str, Any]]) -> None:
        rows = self._tag_rows(entity_type, entity_id, tags)
        if rows:
            self._write(rows)

    @staticmethod
    def _tag_rows(entity_type: str, entity_id: str, tags: list[tuple[str, Any]]) -> list[Row]:
        return [
            TagRow(hash_tag(entity_id, key, value, []), entity_type, entity_id, key, value)
            for key, value in tags
        ]


# Containers whose expressions may form a deep graph.
_CONTAINERS = frozenset({list, tuple, dict, set})


def _serialize(registry: TypeRegistry, value: Any) -> bytes:
    """The stored bytes of a value: upstream's format, or a flat graph for expressions
    nested too deep for it (pickling those recursively overflows the C stack)."""
    if isinstance(value, Expression) or (type(value) in _CONTAINERS and contains_expression(value)):
        flat = flat_dumps_if_deep(value)
        if flat is not None:
            return flat
    return registry.serialize(value)


def _is_file(value: Any) -> bool:
    type_name = getattr(type(value), "type_name", "") or ""
    return isinstance(value, Value) and hasattr(value, "path") and "File" in type_name


def _iter_subvalues(value: Any) -> list[Value]:
    """The Values nested in ``value`` and, as upstream records them, theirs (a Dir's
    files are subvalues of the list holding the Dir too)."""
    if isinstance(value, Value):
        return list(value.iter_subvalues())
    found: list[Value] = []
    for item in iter_nested_value(value):
        if isinstance(item, Value) and item is not value:
            found.append(item)
            found.extend(item.iter_subvalues())
    return found
