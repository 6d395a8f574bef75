"""Upstream's record API of a SQL backend: serialized records by id, and the walk over
what a record owns.

``get_records``/``put_records`` move records (JSON-ready dicts in the format of `redun
export`, ``redun.backends.db.sync_io``) between repositories of either implementation;
``iter_record_ids`` lists the records an execution (or any record) owns, via
``get_child_record_ids``, the ownership edges named as upstream names them
(``"Execution.job"``, ``"CallNode.result"``, ...). Scripts that copy part of a repository
use these; `redun push/pull` use the batched walk of ``sync_walk`` instead.

Queries are batched per kind and per walk layer, so the number of queries grows with
the depth of the call graph, not with its size. SQLAlchemy loads on first use: a
`redun run` never needs these.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

RECORD_KINDS = ("Execution", "Job", "CallNode", "Value", "Tag")
RecordEdge = tuple[str, Any, str]


def _models() -> dict[str, Any]:
    from redun.backends.db import models

    return {kind: getattr(models, kind) for kind in (*RECORD_KINDS, "Task")}


def _keys() -> dict[str, Any]:
    from redun.backends.db import tables

    return {
        "Execution": tables.Execution.__table__.c.id,
        "Job": tables.Job.__table__.c.id,
        "CallNode": tables.CallNode.__table__.c.call_hash,
        "Value": tables.Value.__table__.c.value_hash,
        "Tag": tables.Tag.__table__.c.tag_hash,
    }


def _select_in(conn: Any, columns: list[Any], key: Any, ids: Iterable[str]) -> Iterator[Any]:
    from sqlalchemy import select

    from redun.backends.db.sync_walk import chunked

    for part in chunked(list(dict.fromkeys(ids))):
        yield from conn.execute(select(*columns).where(key.in_(part)))


def record_kinds(conn: Any, ids: Iterable[str]) -> dict[str, list[str]]:
    """The ids that exist, grouped by record kind (a task's hash is a Value)."""
    ids = list(ids)
    return {
        kind: [row[0] for row in _select_in(conn, [key], key, ids)] for kind, key in _keys().items()
    }


def records_of(conn: Any, kinds: dict[str, list[str]]) -> Iterator[dict]:
    """Serialized records of the grouped ids, values first (dependency order)."""
    from redun.backends.db import sync_io

    yield from sync_io._value_records(conn, kinds.get("Value", []), None)
    yield from sync_io._call_node_records(conn, kinds.get("CallNode", []), None)
    yield from sync_io._job_records(conn, kinds.get("Job", []))
    yield from sync_io._execution_records(conn, kinds.get("Execution", []))
    yield from sync_io._tag_records(conn, kinds.get("Tag", []))


def child_edges(conn: Any, kind: str, ids: list[str]) -> Iterator[RecordEdge]:
    """The records that records of ``kind`` own, as ``(edge name, model, id)``."""
    from redun.backends.db import tables as t

    m = _models()
    if kind == "Execution":
        execution = t.Execution.__table__
        for (job_id,) in _select_in(conn, [execution.c.job_id], execution.c.id, ids):
            yield "Execution.job", m["Job"], job_id
    elif kind == "Job":
        job = t.Job.__table__
        columns = [job.c.task_hash, job.c.call_hash]
        for task_hash, call_hash in _select_in(conn, columns, job.c.id, ids):
            yield "Job.task", m["Task"], task_hash
            if call_hash is not None:
                yield "Job.call_hash", m["CallNode"], call_hash
        for (child_id,) in _select_in(conn, [job.c.id], job.c.parent_id, ids):
            yield "Job.child_job", m["Job"], child_id
    elif kind == "CallNode":
        yield from _call_node_edges(conn, ids, m)
    elif kind == "Value":
        sub = t.Subvalue.__table__
        for (child,) in _select_in(conn, [sub.c.value_hash], sub.c.parent_value_hash, ids):
            yield "Value.subvalue", m["Value"], child
    elif kind == "Tag":
        edit = t.TagEdit.__table__
        for (parent,) in _select_in(conn, [edit.c.parent_id], edit.c.child_id, ids):
            yield "Tag.parent", m["Tag"], parent
        for (child,) in _select_in(conn, [edit.c.child_id], edit.c.parent_id, ids):
            yield "Tag.child", m["Tag"], child


def _call_node_edges(conn: Any, ids: list[str], m: dict[str, Any]) -> Iterator[RecordEdge]:
    from redun.backends.db import tables as t

    node, arg, result = t.CallNode.__table__, t.Argument.__table__, t.ArgumentResult.__table__
    edge = t.CallEdge.__table__
    columns = [node.c.task_hash, node.c.value_hash]
    for task_hash, value_hash in _select_in(conn, columns, node.c.call_hash, ids):
        yield "CallNode.task", m["Task"], task_hash
        yield "CallNode.result", m["Value"], value_hash
    arg_hashes = []
    for arg_hash, value_hash in _select_in(
        conn, [arg.c.arg_hash, arg.c.value_hash], arg.c.call_hash, ids
    ):
        arg_hashes.append(arg_hash)
        yield "CallNode.arg", m["Value"], value_hash
    columns = [result.c.result_call_hash]
    for (upstream,) in _select_in(conn, columns, result.c.arg_hash, arg_hashes):
        yield "CallNode.upstream", m["CallNode"], upstream
    for (child,) in _select_in(conn, [edge.c.child_id], edge.c.parent_id, ids):
        yield "CallNode.child_call_node", m["CallNode"], child


class RecordApi:
    """Mixed into ``SqlBackend``: upstream's record methods (see the module docstring)."""

    def _record_read(self) -> Any:
        """A read transaction that sees everything this process has recorded."""
        self._ready()
        return self.transaction()  # type: ignore[attr-defined]

    def _ready(self) -> None:
        """Open the database (a bare ``Scheduler()`` has not yet) and make this process's
        queued writes visible."""
        self.load()  # type: ignore[attr-defined]
        self.flush()  # type: ignore[attr-defined]
        self._end_session_transaction()

    def _end_session_transaction(self) -> None:
        # On an in-memory database the user's session shares our one connection: its
        # open read transaction would block ours (as in ``write``).
        session = getattr(self, "_session", None)
        if session is not None and session.in_transaction():
            session.commit()

    def has_records(self, record_ids: Iterable[str]) -> list[str]:
        """The ids among ``record_ids`` that this repository holds, in their order."""
        record_ids = list(record_ids)
        with self._record_read() as conn:
            found = {id_ for ids in record_kinds(conn, record_ids).values() for id_ in ids}
        return [id_ for id_ in record_ids if id_ in found]

    def get_records(self, ids: Iterable[str], sorted: bool = True) -> Iterator[dict]:
        """Serialized records (executions, jobs, call nodes, values, tags) of these ids;
        unknown ids are skipped. ``sorted`` keeps the order of ``ids``."""
        ids = list(ids)
        with self._record_read() as conn:
            records = list(records_of(conn, record_kinds(conn, ids)))
        if not sorted:
            yield from records
            return
        by_id = {_record_id(record): record for record in records}
        for id_ in dict.fromkeys(ids):
            if id_ in by_id:
                yield by_id[id_]

    def put_records(self, records: Iterable[dict]) -> int:
        """Store serialized records (from either implementation); return how many were
        new. Idempotent, in one transaction, in any order."""
        from redun.backends.db.sync import write_transaction
        from redun.backends.db.sync_io import import_records

        self._ready()
        with write_transaction(self) as conn:  # type: ignore[arg-type]
            counts = import_records(conn, list(records), "put_records")
        return sum(counts.values())

    def get_child_record_ids(self, model_ids: Iterable[tuple[Any, str]]) -> Iterator[RecordEdge]:
        """The records owned by these ``(model, id)`` records: ``(edge name, model, id)``,
        tags of every given record included (``"Entity.tag"``)."""
        by_kind: dict[str, list[str]] = {}
        all_ids = []
        for model, id_ in model_ids:
            kind = "Value" if model.__name__ == "Task" else model.__name__
            by_kind.setdefault(kind, []).append(id_)
            all_ids.append(id_)
        if not all_ids:
            return
        from redun.backends.db import tables

        tag = tables.Tag.__table__
        tag_model = _models()["Tag"]
        with self._record_read() as conn:
            edges = [
                edge
                for kind in RECORD_KINDS
                if kind in by_kind
                for edge in child_edges(conn, kind, by_kind[kind])
            ]
            edges += [
                ("Entity.tag", tag_model, row[0])
                for row in _select_in(conn, [tag.c.tag_hash], tag.c.entity_id, all_ids)
            ]
        yield from edges

    def iter_record_ids(self, root_ids: Iterable[str]) -> Iterator[str]:
        """Ids of the given records and of everything they own, transitively (what a
        copy of them to another repository must carry), layer by layer."""
        models = _models()
        with self._record_read() as conn:
            kinds = record_kinds(conn, list(root_ids))
        layer = [(models[kind], id_) for kind, ids in kinds.items() for id_ in ids]
        seen: set[str] = set()
        while layer:
            new = []
            for model, id_ in layer:
                if id_ not in seen:
                    seen.add(id_)
                    new.append((model, id_))
                    yield id_
            layer = [(model, id_) for _, model, id_ in self.get_child_record_ids(new)]


def _record_id(record: dict) -> str:
    key = {
        "Execution": "id",
        "Job": "id",
        "CallNode": "call_hash",
        "Value": "value_hash",
        "Tag": "tag_hash",
    }[record["_type"]]
    return record[key]
