"""Read queries for graphs of an execution: its call tree and its dataflow.

`redun viz` draws these and `redun console` lists a job's upstream dataflow, so both see
the same picture. The call tree comes from the ``job`` table (one node per job, children
ordered by ``call_edge.call_order`` where recorded); the dataflow comes from
``argument_result``, which names, for each argument of a call node, the upstream call
nodes whose results flowed into it.
"""

from __future__ import annotations

import ast
import textwrap
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from redun.backends.db.queries import (
    IN_CHUNK,
    JobInfo,
    execution_jobs,
    get_arguments,
    get_call_node,
    get_value_rows,
)
from redun.backends.db.tables import Argument, ArgumentResult, CallEdge, CallNode

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

ARG_PREVIEW = 40


class CallGraph(NamedTuple):
    """The job tree of one execution."""

    jobs: list[JobInfo]
    # (parent job id, child job id), children of each parent in call order.
    edges: list[tuple[str, str]]
    # call hash -> "a, b=1" with short previews of each argument.
    args: dict[str, str]


class ArgumentFlow(NamedTuple):
    """One argument of a call node and the call nodes that produced its value."""

    arg_hash: str
    call_hash: str
    name: str
    value_hash: str
    preview: str
    producers: tuple[str, ...]


class Dataflow(NamedTuple):
    """Every call node of an execution and where its arguments came from."""

    # call hash -> the first job of the execution that had that call node.
    calls: dict[str, JobInfo]
    flows: list[ArgumentFlow]
    # (root call hash, result value hash, preview) when the root job finished.
    result: tuple[str, str, str] | None
    # Calls below the root whose result is the execution's result (what it returned).
    result_producers: tuple[str, ...] = ()


def short(text: str, limit: int = ARG_PREVIEW) -> str:
    """One-line preview trimmed to ``limit`` characters, for node labels and tables."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def value_previews(conn: Connection, value_hashes: Sequence[str]) -> dict[str, str]:
    """``repr`` of each stored value, or ``<type hash8>`` when it cannot be loaded here."""
    from redun.backends.db.preview import preview

    rows = get_value_rows(conn, list(dict.fromkeys(value_hashes)))
    return {h: preview(h, r.type, r.format, r.value) for h, r in rows.items()}


def parameter_names(source: str) -> list[str]:
    """Positional parameter names of the first function in a task's source.

    Arguments are stored by position; naming them makes graphs readable. Source that does
    not parse (a lambda, a task from another language version) gives no names.
    """
    try:
        tree = ast.parse(textwrap.dedent(source))
    except (SyntaxError, ValueError):
        return []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            return [a.arg for a in (*node.args.posonlyargs, *node.args.args)]
    return []


def _task_sources(conn: Connection, task_hashes: Sequence[str]) -> dict[str, str]:
    from sqlalchemy import select

    from redun.backends.db.tables import Task

    task = Task.__table__
    found: dict[str, str] = {}
    hashes = list(dict.fromkeys(task_hashes))
    for start in range(0, len(hashes), IN_CHUNK):
        part = hashes[start : start + IN_CHUNK]
        query = select(task.c.hash, task.c.source).where(task.c.hash.in_(part))
        found.update((h, s or "") for h, s in conn.execute(query))
    return found


def _call_orders(conn: Connection, parents: Sequence[str]) -> dict[tuple[str, str], int]:
    from sqlalchemy import select

    edge = CallEdge.__table__
    orders: dict[tuple[str, str], int] = {}
    parents = list(dict.fromkeys(parents))
    for start in range(0, len(parents), IN_CHUNK):
        part = parents[start : start + IN_CHUNK]
        query = select(edge.c.parent_id, edge.c.child_id, edge.c.call_order).where(
            edge.c.parent_id.in_(part)
        )
        for parent, child, order in conn.execute(query):
            orders.setdefault((parent, child), order)
    return orders


def argument_flows(
    conn: Connection, call_hashes: Sequence[str], task_hashes: dict[str, str]
) -> dict[str, list[ArgumentFlow]]:
    """Arguments of each call node, named and previewed, with their producing calls.

    ``task_hashes`` maps each call hash to its task hash, used to name positional
    arguments from the task's source.
    """
    from sqlalchemy import select

    arg, result = Argument.__table__, ArgumentResult.__table__
    hashes = list(dict.fromkeys(call_hashes))
    rows: list[tuple[str, str, str, int | None, str | None]] = []
    producers: dict[str, list[str]] = defaultdict(list)
    for start in range(0, len(hashes), IN_CHUNK):
        part = hashes[start : start + IN_CHUNK]
        query = select(
            arg.c.arg_hash, arg.c.call_hash, arg.c.value_hash, arg.c.arg_position, arg.c.arg_key
        ).where(arg.c.call_hash.in_(part))
        part_rows = [tuple(row) for row in conn.execute(query)]
        rows.extend(part_rows)  # type: ignore[arg-type]
        arg_hashes = [row[0] for row in part_rows]
        for arg_start in range(0, len(arg_hashes), IN_CHUNK):
            arg_part = arg_hashes[arg_start : arg_start + IN_CHUNK]
            query2 = select(result.c.arg_hash, result.c.result_call_hash).where(
                result.c.arg_hash.in_(arg_part)
            )
            for arg_hash, producer in conn.execute(query2):
                producers[arg_hash].append(producer)
    sources = _task_sources(conn, sorted(set(task_hashes.values())))
    names = {call: parameter_names(sources.get(task, "")) for call, task in task_hashes.items()}
    previews = value_previews(conn, [row[2] for row in rows])
    rows.sort(key=lambda r: (r[1], r[3] is None, r[3] if r[3] is not None else 0, r[4] or ""))
    flows: dict[str, list[ArgumentFlow]] = defaultdict(list)
    for arg_hash, call_hash, value_hash, position, key in rows:
        if key is not None:
            name = key
        else:
            params = names.get(call_hash, [])
            name = params[position] if position is not None and position < len(params) else ""
            name = name or f"arg{position}"
        flows[call_hash].append(
            ArgumentFlow(
                arg_hash,
                call_hash,
                name,
                value_hash,
                previews.get(value_hash, f"<{value_hash[:8]}>"),
                tuple(sorted(set(producers.get(arg_hash, [])))),
            )
        )
    return dict(flows)


def call_graph(conn: Connection, execution_id: str) -> CallGraph:
    """The execution's jobs and parent -> child edges, children in call order."""
    jobs = execution_jobs(conn, execution_id)
    by_id = {job.id: job for job in jobs}
    orders = _call_orders(conn, [j.call_hash for j in jobs if j.call_hash])
    children: dict[str, list[JobInfo]] = defaultdict(list)
    for job in jobs:
        if job.parent_id in by_id:
            children[job.parent_id].append(job)

    def order(parent: JobInfo, index: int, child: JobInfo) -> tuple[int, int]:
        key = (parent.call_hash or "", child.call_hash or "")
        return (orders.get(key, 1 << 30), index)

    edges = []
    for parent_id, kids in children.items():
        parent = by_id[parent_id]
        ranked = sorted(enumerate(kids), key=lambda pair: order(parent, *pair))
        edges.extend((parent_id, child.id) for _, child in ranked)
    call_hashes = [j.call_hash for j in jobs if j.call_hash]
    arguments = get_arguments(conn, call_hashes)
    previews = value_previews(conn, [a[2] for args in arguments.values() for a in args])
    args = {}
    for call_hash, call_args in arguments.items():
        parts = []
        for _pos, key, value_hash in call_args:
            text = short(previews.get(value_hash, f"<{value_hash[:8]}>"))
            parts.append(f"{key}={text}" if key is not None else text)
        args[call_hash] = ", ".join(parts)
    return CallGraph(jobs, edges, args)


def dataflow(conn: Connection, execution_id: str) -> Dataflow:
    """Call nodes of the execution and the argument_result edges between them."""
    jobs = execution_jobs(conn, execution_id)
    calls: dict[str, JobInfo] = {}
    for job in jobs:
        if job.call_hash and job.call_hash not in calls:
            calls[job.call_hash] = job
    flows_by_call = argument_flows(conn, list(calls), {c: j.task_hash for c, j in calls.items()})
    flows = [flow for call in calls for flow in flows_by_call.get(call, [])]
    roots = [j for j in jobs if j.parent_id is None and j.call_hash]
    if not roots:
        return Dataflow(calls, flows, None)
    node = get_call_node(conn, roots[0].call_hash or "")
    text = value_previews(conn, [node.value_hash]).get(node.value_hash, "")
    results = _call_results(conn, [c for c in calls if c != node.call_hash])
    producers = tuple(c for c, value in results.items() if value == node.value_hash)
    return Dataflow(calls, flows, (node.call_hash, node.value_hash, text), producers)


def _call_results(conn: Connection, call_hashes: Sequence[str]) -> dict[str, str]:
    from sqlalchemy import select

    node = CallNode.__table__
    found: dict[str, str] = {}
    for start in range(0, len(call_hashes), IN_CHUNK):
        part = call_hashes[start : start + IN_CHUNK]
        query = select(node.c.call_hash, node.c.value_hash).where(node.c.call_hash.in_(part))
        found.update((c, v) for c, v in conn.execute(query))
    return {c: found[c] for c in call_hashes if c in found}
