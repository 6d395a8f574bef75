"""Grouping dataflow edges into the paragraphs ("sections") of the display.

A section follows one variable upward until the call that made it, then lists that
call's arguments, each of which starts a section of its own. A "data" section says a
value was built from parts of other calls' results ("derives from"). Where paths meet
again (one value passed to two tasks whose results are combined), a section is split at
the meeting point so the shared history is printed once, under its own name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from enum import Enum
from typing import Any

from redun.backends.db.dataflow_nodes import (
    ArgumentValue,
    CallNodeValue,
    DataflowEdge,
    DataflowNode,
    DataflowSection,
)
from redun.backends.db.models import CallNode, Value


class DataflowSectionKind(Enum):
    """Whether a section follows a task call or shows a value built from parts."""

    CALL = "call"
    DATA = "data"


def _unique(items: Iterable[Any], key: Any = None) -> list[Any]:
    seen: set[Any] = set()
    result = []
    for item in items:
        marker = key(item) if key else item
        if marker not in seen:
            seen.add(marker)
            result.append(item)
    return result


def get_section_edge_type(edge: DataflowEdge) -> str:
    """The role an edge plays in a section (``"data"``, ``"call_arg"``, ...)."""
    src, dest = edge
    arg_src = isinstance(src, ArgumentValue)
    if arg_src and isinstance(dest, CallNodeValue):
        if src.value.value_hash != dest.value.value_hash:
            return "data"
        return "call_arg_result_routing"
    if isinstance(src, CallNode):
        if isinstance(dest, ArgumentValue):
            return "call_arg"
        if dest is None:
            return "call_origin"
    if isinstance(src, (Value, CallNodeValue)) and isinstance(dest, CallNode):
        return "call_result"
    if isinstance(src, CallNodeValue) and isinstance(dest, CallNodeValue):
        return "call_result_routing"
    if arg_src and isinstance(dest, ArgumentValue):
        return "call_arg_routing"
    if arg_src and dest is None:
        return "call_arg_origin"
    if isinstance(src, Value) and dest is None:
        return "call_value_origin"
    raise ValueError(f"unexpected dataflow edge: {edge!r}")


def toposort_edges(edges: Iterable[DataflowEdge]) -> Iterator[DataflowEdge]:
    """Edges in depth-first order, a node's edges only after every edge into it."""
    incoming: dict[Any, int] = {}
    outgoing: dict[Any, list[DataflowEdge]] = defaultdict(list)
    for edge in edges:
        outgoing[edge.src].append(edge)
        incoming.setdefault(edge.src, 0)
        if edge.dest:
            incoming[edge.dest] = incoming.get(edge.dest, 0) + 1

    stack = [node for node, count in incoming.items() if count == 0]
    while stack:
        node = stack.pop()
        yield from outgoing[node]
        for edge in reversed(outgoing[node]):
            if edge.dest:
                incoming[edge.dest] -= 1
                if incoming[edge.dest] == 0:
                    stack.append(edge.dest)


def rewrite_call_node_merges(edges: list[DataflowEdge]) -> list[DataflowEdge]:
    """Make a call reached through several of its result parts appear through one.

    When two parts of one call's result are traced back to it, the edges into the call
    are replaced by edges into a single node for the call's whole result, so the call is
    described once.
    """
    into: dict[Any, list[DataflowEdge]] = defaultdict(list)
    for edge in edges:
        if edge.dest:
            into[edge.dest].append(edge)

    merges = [node for node, found in into.items() if isinstance(node, CallNode) and len(found) > 1]
    for call_node in merges:
        result_edges = into[call_node]
        feeding = [edge for result_edge in result_edges for edge in into[result_edge.src]]
        replaced = set(result_edges) | set(feeding)
        whole = CallNodeValue(call_node, call_node.value)
        added = [DataflowEdge(src, whole) for src in _unique(edge.src for edge in feeding)]
        added.append(DataflowEdge(whole, call_node))

        kept = [edge for edge in edges if edge not in replaced]
        at = next(i for i, edge in enumerate(kept) if edge.src == call_node)
        edges = kept[:at] + added + kept[at:]
    return edges


def iter_subsections(section: DataflowSection) -> Iterator[DataflowSection]:
    """Split a section where its paths meet, each path and the shared rest apart."""
    starts = []
    outgoing: dict[Any, list[DataflowEdge]] = defaultdict(list)
    into: dict[Any, list[DataflowEdge]] = defaultdict(list)
    for edge in section:
        starts.append(edge.src)
        outgoing[edge.src].append(edge)
        if edge.dest:
            into[edge.dest].append(edge)

    meetings = [node for node, found in into.items() if len(found) > 1]
    if not meetings:
        yield section
        return

    roots = [node for node in _unique(starts) if not into[node]]
    for node in roots + meetings:
        part: DataflowSection = []
        while True:
            following = outgoing[node]
            if len(following) != 1:
                # The end of the path: the call's arguments, or nothing.
                yield part + following
                break
            [edge] = following
            part.append(edge)
            if edge.dest in meetings:
                yield part
                break
            node = edge.dest


def iter_dataflow_sections(
    dataflow_edges: Iterable[DataflowEdge],
) -> Iterator[tuple[DataflowSectionKind, DataflowSection]]:
    """The sections of a dataflow, in display order, each with its kind."""
    edges = rewrite_call_node_merges(list(toposort_edges(dataflow_edges)))

    # Sections are lists of (position, edge); nodes on one path share one list.
    call_sections: dict[Any, list[tuple[int, DataflowEdge]]] = {}
    data_sections: dict[Any, list[tuple[int, DataflowEdge]]] = defaultdict(list)
    named: set[DataflowNode] = set()

    for i, edge in enumerate(edges):
        kind = get_section_edge_type(edge)
        if kind == "data":
            data_sections[edge.src].append((i, edge))
            continue
        if kind == "call_arg":
            # An argument gets a name and a paragraph of its own.
            named.add(edge.dest)

        if edge.src in named:
            section = [(i, edge)]
        else:
            section = call_sections.setdefault(edge.src, [])
            section.append((i, edge))

        if edge.dest:
            existing = call_sections.get(edge.dest)
            if existing is None:
                call_sections[edge.dest] = section
            else:
                # Two paths meet: one section holds both (split again on display).
                existing.extend(section)
                call_sections[edge.src] = existing

    ordered = []
    for section in _unique(call_sections.values(), key=id):
        ordered.append((DataflowSectionKind.CALL, section))
    for section in data_sections.values():
        ordered.append((DataflowSectionKind.DATA, section))

    # A section is shown where its last edge was reached.
    ordered.sort(key=lambda pair: max(i for i, _ in pair[1]))
    for kind, section in ordered:
        plain = _unique(edge for _, edge in section)
        if kind == DataflowSectionKind.CALL:
            for part in iter_subsections(plain):
                yield kind, part
        else:
            yield kind, plain
