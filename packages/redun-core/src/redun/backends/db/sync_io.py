"""`redun export` / `redun import`: repository records as JSON lines.

The format is upstream redun's (``_version: 1``; ``_type`` Execution, Job, CallNode,
Value with File/Task subtypes, Tag), so files move between the two implementations.
Records carry a few extra keys upstream ignores on import: a call node's
``subtree_tasks`` and ``evaluation`` (the shallow and single-reduction caches, which
upstream's export drops, so an imported repository here keeps its cache hits) and an
execution's ``updated_time``.

Records are written in foreign-key order (values, call nodes, jobs, executions, tags).
An import is one transaction: a malformed line anywhere leaves the repository unchanged.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from redun.backends.db.sync import COPY_STEPS, insert_rows, mark_edited_tags
from redun.backends.db.sync_walk import SyncPlan, chunked
from redun.backends.db.tables import (
    Argument,
    ArgumentResult,
    CallEdge,
    CallNode,
    CallSubtreeTask,
    Evaluation,
    Execution,
    File,
    Job,
    Subvalue,
    Tag,
    TagEdit,
    Task,
    Value,
)
from redun.errors import UsageError
from redun.hashing import hash_eval_from_args_hash

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

VERSION = 1
RECORD_TYPES = ("Execution", "Job", "CallNode", "Value", "Tag")
ERROR_VALUE_TYPE = "redun.ErrorValue"


def _time(value: datetime | None) -> str | None:
    return str(value) if value is not None else None


def _parse_time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _rows(conn: Connection, table: Any, column: Any, ids: Sequence[str]) -> list[Any]:
    from sqlalchemy import select

    return list(conn.execute(select(table).where(column.in_(list(ids)))))


def _grouped(rows: Iterable[Any], key: str) -> dict[str, list[Any]]:
    groups: dict[str, list[Any]] = {}
    for row in rows:
        groups.setdefault(getattr(row, key), []).append(row)
    return groups


# -- export ---------------------------------------------------------------------------


def _value_records(conn: Connection, ids: Sequence[str], tasks: set[str] | None) -> Iterator[dict]:
    """Value records; a task's value carries its Task subtype when its hash is in
    ``tasks`` (None: always)."""
    value, sub, file, task = Value.__table__, Subvalue.__table__, File.__table__, Task.__table__
    for part in chunked(list(ids)):
        subs = _grouped(_rows(conn, sub, sub.c.parent_value_hash, part), "parent_value_hash")
        files = {r.value_hash: r for r in _rows(conn, file, file.c.value_hash, part)}
        task_rows = {
            r.hash: r
            for r in _rows(conn, task, task.c.hash, part)
            if tasks is None or r.hash in tasks
        }
        for row in _rows(conn, value, value.c.value_hash, part):
            subtype = None
            if row.value_hash in files:
                subtype = {"_type": "File", "path": files[row.value_hash].path}
            elif row.value_hash in task_rows:
                t = task_rows[row.value_hash]
                subtype = {"_type": "Task", "name": t.name, "namespace": t.namespace}
                subtype["source"] = t.source
            yield {
                "_version": VERSION,
                "_type": "Value",
                "value_hash": row.value_hash,
                "type": row.type,
                "format": row.format,
                "data": base64.b64encode(row.value or b"").decode("ascii"),
                "subvalues": sorted(s.value_hash for s in subs.get(row.value_hash, [])),
                "subtype": subtype,
            }


def _call_node_records(
    conn: Connection, ids: Sequence[str], evals: set[str] | None
) -> Iterator[dict]:
    """Call node records; one carries its evaluation (single-reduction cache entry)
    when the eval hash is in ``evals`` (None: always)."""
    node, edge, arg = CallNode.__table__, CallEdge.__table__, Argument.__table__
    result, subtree, evaluation = (
        ArgumentResult.__table__,
        CallSubtreeTask.__table__,
        Evaluation.__table__,
    )
    for part in chunked(list(ids)):
        nodes = _rows(conn, node, node.c.call_hash, part)
        edges = _grouped(_rows(conn, edge, edge.c.parent_id, part), "parent_id")
        args = _grouped(_rows(conn, arg, arg.c.call_hash, part), "call_hash")
        arg_hashes = [a.arg_hash for group in args.values() for a in group]
        upstreams = _grouped(_rows(conn, result, result.c.arg_hash, arg_hashes), "arg_hash")
        subtrees = _grouped(_rows(conn, subtree, subtree.c.call_hash, part), "call_hash")
        eval_ids = {n.call_hash: hash_eval_from_args_hash(n.task_hash, n.args_hash) for n in nodes}
        wanted = [e for e in eval_ids.values() if evals is None or e in evals]
        eval_rows = {
            r.eval_hash: r for r in _rows(conn, evaluation, evaluation.c.eval_hash, wanted)
        }
        for row in nodes:
            record = {
                "_version": VERSION,
                "_type": "CallNode",
                "call_hash": row.call_hash,
                "task_name": row.task_name,
                "task_hash": row.task_hash,
                "args_hash": row.args_hash,
                "value_hash": row.value_hash,
                "timestamp": _time(row.timestamp),
                "args": {
                    a.arg_key or str(a.arg_position): {
                        "arg_hash": a.arg_hash,
                        "value_hash": a.value_hash,
                        "upstream": sorted(
                            u.result_call_hash for u in upstreams.get(a.arg_hash, [])
                        ),
                    }
                    for a in args.get(row.call_hash, [])
                },
                "children": [
                    e.child_id
                    for e in sorted(edges.get(row.call_hash, []), key=lambda e: e.call_order)
                ],
                "subtree_tasks": sorted(s.task_hash for s in subtrees.get(row.call_hash, [])),
            }
            found = eval_rows.get(eval_ids[row.call_hash])
            if found is not None:
                record["evaluation"] = {
                    "eval_hash": found.eval_hash,
                    "value_hash": found.value_hash,
                }
            yield record


def _job_records(conn: Connection, ids: Sequence[str]) -> Iterator[dict]:
    from sqlalchemy import select

    from redun.backends.db.queries import job_status

    job, node, value = Job.__table__, CallNode.__table__, Value.__table__
    for part in chunked(list(ids)):
        children = _grouped(
            sorted(_rows(conn, job, job.c.parent_id, part), key=lambda r: r.start_time), "parent_id"
        )
        query = (
            select(job, value.c.type.label("result_type"))
            .outerjoin(node, node.c.call_hash == job.c.call_hash)
            .outerjoin(value, value.c.value_hash == node.c.value_hash)
            .where(job.c.id.in_(list(part)))
        )
        for row in conn.execute(query):
            yield {
                "_version": VERSION,
                "_type": "Job",
                "id": row.id,
                "start_time": _time(row.start_time),
                "end_time": _time(row.end_time),
                "task_hash": row.task_hash,
                "cached": bool(row.cached),
                "status": job_status(row.end_time, bool(row.cached), row.result_type),
                "call_hash": row.call_hash,
                "parent_id": row.parent_id,
                "children": [child.id for child in children.get(row.id, [])],
                "execution_id": row.execution_id,
            }


def _execution_records(conn: Connection, ids: Sequence[str]) -> Iterator[dict]:
    execution = Execution.__table__
    for part in chunked(list(ids)):
        for row in _rows(conn, execution, execution.c.id, part):
            yield {
                "_version": VERSION,
                "_type": "Execution",
                "id": row.id,
                "args": row.args,
                "job_id": row.job_id,
                "updated_time": _time(row.updated_time),
            }


def _tag_records(conn: Connection, ids: Sequence[str]) -> Iterator[dict]:
    tag, edit = Tag.__table__, TagEdit.__table__
    for part in chunked(list(ids)):
        parents = _grouped(_rows(conn, edit, edit.c.child_id, part), "child_id")
        for row in _rows(conn, tag, tag.c.tag_hash, part):
            entity_type = getattr(row.entity_type, "name", row.entity_type)
            yield {
                "_version": VERSION,
                "_type": "Tag",
                "tag_hash": row.tag_hash,
                "entity_type": entity_type,
                "entity_id": row.entity_id,
                "key": row.key,
                "value": row.value,
                "parents": sorted(p.parent_id for p in parents.get(row.tag_hash, [])),
            }


def export_records(conn: Connection, plan: SyncPlan) -> Iterator[dict]:
    """Serialized records of a walk plan, dependencies first."""
    ids = plan.ids
    yield from _value_records(conn, ids["Value"], set(ids["Task"]))
    yield from _call_node_records(conn, ids["CallNode"], set(ids["Evaluation"]))
    yield from _job_records(conn, ids["Job"])
    yield from _execution_records(conn, ids["Execution"])
    yield from _tag_records(conn, ids["Tag"])


# -- import ---------------------------------------------------------------------------


def record_rows(record: dict[str, Any]) -> list[tuple[Any, dict[str, Any]]]:
    """The table rows one record stands for, as ``(model, row)`` pairs."""
    kind = record["_type"]
    if kind == "Value":
        rows: list[tuple[Any, dict[str, Any]]] = [
            (
                Value,
                {
                    "value_hash": record["value_hash"],
                    "type": record["type"],
                    "format": record["format"],
                    "value": base64.b64decode(record["data"]),
                },
            )
        ]
        rows += [
            (Subvalue, {"value_hash": child, "parent_value_hash": record["value_hash"]})
            for child in record.get("subvalues", [])
        ]
        subtype = record.get("subtype") or {}
        if subtype.get("_type") == "File":
            rows.append((File, {"value_hash": record["value_hash"], "path": subtype["path"]}))
        elif subtype.get("_type") == "Task":
            task = {"hash": record["value_hash"]}
            task.update({k: subtype[k] for k in ("name", "namespace", "source")})
            rows.append((Task, task))
        return rows
    if kind == "CallNode":
        call_hash = record["call_hash"]
        rows = [
            (
                CallNode,
                {
                    "call_hash": call_hash,
                    "task_name": record["task_name"],
                    "task_hash": record["task_hash"],
                    "args_hash": record["args_hash"],
                    "value_hash": record["value_hash"],
                    "timestamp": _parse_time(record["timestamp"]),
                },
            )
        ]
        rows += [
            (CallEdge, {"parent_id": call_hash, "child_id": child, "call_order": order})
            for order, child in enumerate(record.get("children", []))
        ]
        for key, arg in record.get("args", {}).items():
            position = int(key) if key.isdigit() else None
            rows.append(
                (
                    Argument,
                    {
                        "arg_hash": arg["arg_hash"],
                        "call_hash": call_hash,
                        "value_hash": arg["value_hash"],
                        "arg_position": position,
                        "arg_key": None if position is not None else key,
                    },
                )
            )
            rows += [
                (ArgumentResult, {"arg_hash": arg["arg_hash"], "result_call_hash": upstream})
                for upstream in arg.get("upstream", [])
            ]
        rows += [
            (CallSubtreeTask, {"call_hash": call_hash, "task_hash": task_hash})
            for task_hash in record.get("subtree_tasks", [])
        ]
        evaluation = record.get("evaluation")
        if evaluation:
            row = {"task_hash": record["task_hash"], "args_hash": record["args_hash"]}
            row.update(eval_hash=evaluation["eval_hash"], value_hash=evaluation["value_hash"])
            rows.append((Evaluation, row))
        return rows
    if kind == "Job":
        row = {k: record[k] for k in ("id", "task_hash", "call_hash", "parent_id", "execution_id")}
        row.update(
            start_time=_parse_time(record["start_time"]),
            end_time=_parse_time(record.get("end_time")),
            cached=bool(record.get("cached")),
        )
        return [(Job, row)]
    if kind == "Execution":
        row = {k: record[k] for k in ("id", "args", "job_id")}
        row["updated_time"] = _parse_time(record.get("updated_time"))
        return [(Execution, row)]
    if kind == "Tag":
        row = {k: record[k] for k in ("tag_hash", "entity_type", "entity_id", "key", "value")}
        row["is_current"] = True
        rows = [(Tag, row)]
        rows += [
            (TagEdit, {"parent_id": parent, "child_id": record["tag_hash"]})
            for parent in record.get("parents", [])
        ]
        return rows
    raise KeyError(kind)


def parse_lines(lines: Iterable[str], where: str) -> Iterator[dict[str, Any]]:
    """Records of a JSON-lines stream; a bad line is a one-line ``UsageError``."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            raise UsageError(
                f"line {number} of {where} is not JSON; is it a redun export?"
            ) from None
        if not isinstance(record, dict) or record.get("_type") not in RECORD_TYPES:
            raise UsageError(
                f"line {number} of {where} is not a redun record (unknown _type); "
                "is it a redun export?"
            )
        if record.get("_version") != VERSION:
            raise UsageError(
                f"line {number} of {where} has record version {record.get('_version')!r}; "
                f"this redun reads version {VERSION}"
            )
        yield record


_PRIMARY = {
    "Execution": (Execution, "id"),
    "Job": (Job, "id"),
    "CallNode": (CallNode, "call_hash"),
    "Value": (Value, "value_hash"),
    "Tag": (Tag, "tag_hash"),
}


def import_records(
    conn: Connection, records: Iterable[dict[str, Any]], where: str
) -> dict[str, int]:
    """Insert records into ``conn``'s repository; count the new ones per ``_type``.

    Rows are gathered per table and inserted in foreign-key order (jobs parents
    first), so the file's record order does not matter.
    """
    from sqlalchemy import select

    tables: dict[Any, list[dict[str, Any]]] = {model: [] for model, _, _ in COPY_STEPS}
    keys: dict[str, list[str]] = {kind: [] for kind in _PRIMARY}
    for number, record in enumerate(records, 1):
        try:
            pairs = record_rows(record)
        except (KeyError, TypeError, ValueError) as exc:
            raise UsageError(
                f"record {number} of {where} is malformed (missing or bad {exc})"
            ) from None
        model, key = _PRIMARY[record["_type"]]
        keys[record["_type"]].append(record[key])
        for table_model, row in pairs:
            tables[table_model].append(row)
    counts = {}
    for kind, (model, key) in _PRIMARY.items():
        ids = list(dict.fromkeys(keys[kind]))
        column = model.__table__.c[key]
        have: set[str] = set()
        for part in chunked(ids):
            have.update(row[0] for row in conn.execute(select(column).where(column.in_(part))))
        counts[kind] = len(ids) - len(have)
    tables[Job] = _parents_first(tables[Job])
    for model, _, _ in COPY_STEPS:
        if tables[model]:
            insert_rows(conn, model.__table__, tables[model])
    mark_edited_tags(conn, [row["tag_hash"] for row in tables[Tag]])
    return counts


def _parents_first(jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_id = {job["id"]: job for job in jobs}
    depth: dict[str, int] = {}

    def depth_of(job_id: str) -> int:
        chain = []
        while job_id in by_id and job_id not in depth:
            chain.append(job_id)
            job_id = by_id[job_id]["parent_id"]
            if job_id in chain:
                break
        base = depth.get(job_id, 0) if job_id is not None else 0
        for offset, id_ in enumerate(reversed(chain), 1):
            depth[id_] = base + offset
        return depth.get(chain[0], base) if chain else base

    return sorted(by_id.values(), key=lambda job: depth_of(job["id"]))
