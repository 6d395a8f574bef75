"""Upstream dataflow: where a value came from, as `redun log` shows it.

Starting from a value, the walk goes upward through the call graph: which call produced
the value, which arguments that call had, where each argument came from (the result of an
earlier call, an argument of the caller, a part of a bigger value, or the user), and so
on until every path reaches an origin. The edges are then grouped into paragraphs and
printed in the layout upstream redun's ``redun log`` uses::

    value <-- <1a2b3c4d> call_variants(bam, ref_genome)
      bam        = <2b3c4d5e> File(path=sample4.bam, hash=3c4d5e6f)
      ref_genome = <4d5e6f7a> File(path=ref_genome, hash=5e6f7a8b)

    bam <-- argument of <6f7a8b9c> call_variants_all(bams, ref_genome)
        <-- <7a8b9c0d> align_reads(fastq, ref_genome_2)
      ...

Use it from Python on a backend's ORM session::

    edges = walk_dataflow(backend, value)
    print("\\n".join(display_dataflow(make_dataflow_dom(edges))))

The walk reads one record at a time, upward, and answers its fan-out questions in SQL
(``dataflow_queries``), so it stays quick on executions with 100,000 jobs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import object_session

from redun.backends.db import dataflow_queries as q
from redun.backends.db.dataflow_dom import (
    DataflowArg,
    DataflowAssign,
    DataflowDOM,
    DataflowRouting,
    DataflowSectionDOM,
    DataflowVars,
    display_call_node,
    display_dataflow,
    display_hash,
    display_node,
    display_section,
    display_value,
    get_default_arg_name,
    get_task_args,
    make_data_section_dom,
    make_dataflow_dom,
    make_section_dom,
    make_var_name,
    serialize_dataflow,
    serialize_section,
)
from redun.backends.db.dataflow_nodes import (
    ArgumentValue,
    CallNodeValue,
    DataflowEdge,
    DataflowNode,
    DataflowSection,
)
from redun.backends.db.dataflow_sections import (
    DataflowSectionKind,
    get_section_edge_type,
    iter_dataflow_sections,
    iter_subsections,
    rewrite_call_node_merges,
    toposort_edges,
)
from redun.backends.db.models import Argument, CallNode, Task, Value

__all__ = [
    "Argument",
    "ArgumentValue",
    "CallNode",
    "CallNodeValue",
    "DataflowArg",
    "DataflowAssign",
    "DataflowDOM",
    "DataflowEdge",
    "DataflowNode",
    "DataflowRouting",
    "DataflowSection",
    "DataflowSectionDOM",
    "DataflowSectionKind",
    "DataflowVars",
    "Task",
    "Value",
    "display_call_node",
    "display_dataflow",
    "display_hash",
    "display_node",
    "display_section",
    "display_value",
    "get_callnode_arguments",
    "get_default_arg_name",
    "get_section_edge_type",
    "get_task_args",
    "is_internal_task",
    "iter_dataflow_sections",
    "iter_subsections",
    "make_data_section_dom",
    "make_dataflow_dom",
    "make_section_dom",
    "make_var_name",
    "rewrite_call_node_merges",
    "serialize_dataflow",
    "serialize_section",
    "toposort_edges",
    "walk_dataflow",
    "walk_dataflow_argument_value",
    "walk_dataflow_callnode",
    "walk_dataflow_callnode_value",
    "walk_dataflow_node",
    "walk_dataflow_value",
]


def _session(record: Any) -> Any:
    session = object_session(record)
    if session is None:
        raise ValueError(f"{record!r} is not attached to a session")
    return session


def is_internal_task(task: Task) -> bool:
    """redun's own script tasks, left out of the dataflow as clutter."""
    return (task.namespace, task.name) in q.INTERNAL_TASKS


def get_callnode_arguments(call_node: CallNode) -> list[Argument]:
    """A call's arguments: positional ones by position, then keyword ones by name."""
    positional = sorted(
        (arg for arg in call_node.arguments if arg.arg_position is not None),
        key=lambda arg: arg.arg_position,
    )
    keyword = sorted(
        (arg for arg in call_node.arguments if arg.arg_position is None),
        key=lambda arg: arg.arg_key,
    )
    return positional + keyword


def walk_dataflow_value(backend: Any, value: Value) -> Iterator[DataflowEdge]:
    """The one edge from a value to the call that made it (or to the origin).

    Among the calls whose result is or contains the value, a call that merely passed on
    a descendant's result is skipped; of the rest, the one run most recently wins.
    """
    session = _session(value)
    candidates = q.producers(session, value.value_hash)
    routing = q.ancestors_among(session, [call_hash for call_hash, _ in candidates])
    best: tuple[Any, str] | None = None
    for call_hash, started in candidates:
        if call_hash in routing or started is None:
            continue
        if best is None or started > best[0]:
            best = (started, call_hash)
    yield DataflowEdge(value, session.get(CallNode, best[1]) if best else None)


def walk_dataflow_callnode(backend: Any, call_node: CallNode) -> Iterator[DataflowEdge]:
    """Edges from a call to each of its arguments (or to the origin if it has none)."""
    arguments = get_callnode_arguments(call_node)
    for argument in arguments:
        yield DataflowEdge(call_node, ArgumentValue(argument, argument.value))
    if not arguments:
        yield DataflowEdge(call_node, None)


def walk_dataflow_callnode_value(
    backend: Any, call_node_value: CallNodeValue
) -> Iterator[DataflowEdge]:
    """Edge from a call's result into the one child call that produced it, if one did.

    With no such child, or several, the value is taken as made by the call itself.
    """
    call_node, value = call_node_value
    session = _session(call_node)
    children = q.children_holding(session, call_node.call_hash, value.value_hash, limit=2)
    if len(children) == 1:
        child = session.get(CallNode, children[0])
        yield DataflowEdge(call_node_value, CallNodeValue(child, value))
    else:
        yield DataflowEdge(call_node_value, call_node)


def _feeders(session: Any, argument: Argument) -> list[CallNode]:
    """The calls whose results fed an argument, latest made first when the order is known."""
    if not q.has_feeders(session, argument.arg_hash):
        return []
    context = q.latest_common_parent(session, argument.arg_hash, argument.call_hash)
    if context is None:
        return list(argument.upstream)
    hashes = list(dict.fromkeys(q.feeders_in_call_order(session, argument.arg_hash, context)))
    loaded: dict[str, CallNode] = {}
    for start in range(0, len(hashes), 500):
        chunk = hashes[start : start + 500]
        query = select(CallNode).where(CallNode.call_hash.in_(chunk))
        loaded.update((node.call_hash, node) for node in session.scalars(query))
    return [loaded[call_hash] for call_hash in hashes]


def walk_dataflow_argument_value(
    backend: Any, argument_value: ArgumentValue
) -> Iterator[DataflowEdge]:
    """Edges from an argument's value to where it came from.

    It came from the results of earlier calls (the ones recorded as feeding the
    argument), from an argument of the calling task, or else it originates here.
    """
    argument, value = argument_value
    session = _session(argument)
    found = False

    feeders = _feeders(session, argument)
    if feeders:
        found = True
        holding = q.feeders_holding(session, argument.arg_hash, value.value_hash)
        for call_node in feeders:
            part = value if call_node.call_hash in holding else call_node.value
            yield DataflowEdge(argument_value, CallNodeValue(call_node, part))

    parent_hash = q.latest_parent(session, argument.call_hash)
    if parent_hash is not None:
        parent = session.get(CallNode, parent_hash)
        holding_args = q.arguments_holding(session, parent_hash, value.value_hash)
        for parent_argument in get_callnode_arguments(parent):
            if parent_argument.arg_hash in holding_args:
                found = True
                yield DataflowEdge(argument_value, ArgumentValue(parent_argument, value))

    if not found:
        yield DataflowEdge(argument_value, None)


def walk_dataflow_node(backend: Any, node: DataflowNode) -> Iterator[DataflowEdge]:
    """The upstream edges of any kind of node."""
    if isinstance(node, ArgumentValue):
        return walk_dataflow_argument_value(backend, node)
    if isinstance(node, CallNodeValue):
        return walk_dataflow_callnode_value(backend, node)
    if isinstance(node, CallNode):
        return walk_dataflow_callnode(backend, node)
    if isinstance(node, Value):
        return walk_dataflow_value(backend, node)
    raise TypeError(f"not a dataflow node: {node!r}")


def walk_dataflow(backend: Any, init_node: DataflowNode) -> Iterator[DataflowEdge]:
    """Every upstream edge of ``init_node``, depth first, siblings in their order.

    ``init_node`` is usually a ``Value``; any node kind works. Each node is expanded once.
    """
    stack: list[DataflowNode] = [init_node]
    seen: set[Any] = set()
    while stack:
        edges = list(walk_dataflow_node(backend, stack.pop()))
        yield from edges
        for edge in reversed(edges):
            if edge.dest is not None and edge.dest not in seen:
                seen.add(edge.dest)
                stack.append(edge.dest)
