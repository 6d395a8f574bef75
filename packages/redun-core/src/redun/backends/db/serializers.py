"""``RecordSerializer``: ORM rows to and from the JSON-ready records of `redun export`.

The record format (``_version`` 1; ``_type`` Execution, Job, CallNode, Value, Tag) is
upstream's, shared with ``redun.backends.db.sync_io`` and the backends' ``get_records``/
``put_records``, so records move between repositories of either implementation. This
module serves code holding ORM objects (``backend.session`` queries): ``serialize`` a
row (a Task serializes as its Value), ``deserialize`` a record into the unsaved rows it
stands for (a call node with its edges and arguments, a tag with its edits, ...).
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

VERSION = 1
PRIMARY_KEYS = {
    "Execution": "id",
    "Job": "id",
    "CallNode": "call_hash",
    "Value": "value_hash",
    "Tag": "tag_hash",
}


def serialize_timestamp(timestamp: Any) -> str | None:
    """Records hold times as ``str(datetime)`` (``2020-01-01 00:00:00``)."""
    return str(timestamp) if timestamp else None


def _header(kind: str) -> dict[str, Any]:
    return {"_version": VERSION, "_type": kind}


def _execution(execution: Any) -> dict[str, Any]:
    record = _header("Execution")
    record.update(id=execution.id, args=execution.args, job_id=execution.job_id)
    return record


def _job(job: Any) -> dict[str, Any]:
    record = _header("Job")
    record.update(
        id=job.id,
        start_time=serialize_timestamp(job.start_time),
        end_time=serialize_timestamp(job.end_time),
        task_hash=job.task_hash,
        cached=job.cached,
        status=job.status,
        call_hash=job.call_hash,
        parent_id=job.parent_id,
        children=[child.id for child in job.child_jobs],
        execution_id=job.execution_id,
    )
    return record


def _value(value: Any) -> dict[str, Any]:
    subtype = None
    if value.file is not None:
        subtype = {"_type": "File", "path": value.file.path}
    elif value.task is not None:
        task = value.task
        subtype = {
            "_type": "Task",
            "name": task.name,
            "namespace": task.namespace,
            "source": task.source,
        }
    record = _header("Value")
    record.update(
        value_hash=value.value_hash,
        type=value.type,
        format=value.format,
        data=base64.b64encode(value.value or b"").decode("ascii"),
        subvalues=sorted(edge.value_hash for edge in value.child_edges),
        subtype=subtype,
    )
    return record


def _call_node(node: Any) -> dict[str, Any]:
    args = {
        arg.arg_key or str(arg.arg_position): {
            "arg_hash": arg.arg_hash,
            "value_hash": arg.value_hash,
            "upstream": sorted(result.result_call_hash for result in arg.arg_results),
        }
        for arg in node.arguments
    }
    record = _header("CallNode")
    record.update(
        call_hash=node.call_hash,
        task_name=node.task_name,
        task_hash=node.task_hash,
        args_hash=node.args_hash,
        value_hash=node.value_hash,
        timestamp=serialize_timestamp(node.timestamp),
        args=args,
        children=[edge.child_id for edge in node.child_edges],
    )
    return record


def _tag(tag: Any) -> dict[str, Any]:
    record = _header("Tag")
    record.update(
        tag_hash=tag.tag_hash,
        entity_type=getattr(tag.entity_type, "name", tag.entity_type),
        entity_id=tag.entity_id,
        key=tag.key,
        value=tag.value,
        parents=[edit.parent_id for edit in tag.parent_edits],
    )
    return record


_SERIALIZE = {
    "Execution": _execution,
    "Job": _job,
    "Value": _value,
    "CallNode": _call_node,
    "Tag": _tag,
}


class RecordSerializer:
    """Serialize ORM rows of any record kind to records, and records back to rows.

    ``db_version`` is accepted for upstream's signature: the format is the same for
    every schema version this redun reads.
    """

    def __init__(self, db_version: Any = None) -> None:
        self.db_version = db_version

    def get_pk(self, spec: dict) -> str:
        """The id of a record."""
        return spec[PRIMARY_KEYS[spec["_type"]]]

    def serialize(self, obj: Any) -> dict:
        """The record of an ORM row (Execution, Job, CallNode, Value, Task or Tag)."""
        kind = type(obj).__name__
        if kind == "Task":
            obj, kind = obj.value, "Value"
        if kind not in _SERIALIZE:
            raise TypeError(f"cannot serialize {kind} rows (only {', '.join(_SERIALIZE)})")
        return _SERIALIZE[kind](obj)

    def serialize_query(self, query: Any) -> Iterator[dict]:
        """Records of every row an ORM query returns."""
        for row in query:
            yield self.serialize(row)

    def deserialize(self, spec: dict) -> list[Any]:
        """Unsaved ORM rows a record stands for, the record's own row first."""
        from redun.backends.db import models
        from redun.backends.db.sync_io import record_rows

        if spec.get("_version") != VERSION:
            raise ValueError(f"record version {spec.get('_version')!r}; this redun reads {VERSION}")
        rows = []
        for table_model, row in record_rows(spec):
            model = getattr(models, table_model.__name__)
            if model is models.Tag:
                row = dict(row, entity_type=_tag_entity(row["entity_type"]))
            rows.append(model(**row))
        return rows


def _tag_entity(name: str) -> Any:
    from redun.backends.db.types import TagEntity

    return TagEntity(name)
