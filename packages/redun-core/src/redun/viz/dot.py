"""DOT text for an execution's call graph and dataflow.

Output is deterministic (nodes and edges in a fixed order) so that a picture can be
diffed between runs, and uses only core Graphviz attributes so any ``dot`` renders it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from redun.backends.db.graph import short

if TYPE_CHECKING:
    from redun.backends.db.graph import CallGraph, Dataflow
    from redun.backends.db.queries import JobInfo

# Fill colours per derived job status (light, so black text stays readable).
STATUS_COLORS = {
    "DONE": "#c8e6c9",
    "CACHED": "#bbdefb",
    "FAILED": "#ffcdd2",
    "RUNNING": "#fff9c4",
}
HEADER = [
    "  rankdir=TB;",
    "  ordering=out;",
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=9];',
]


def quote(text: str) -> str:
    """A DOT double-quoted string; newlines become centred line breaks."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\r", "").replace("\n", "\\n") + '"'


def _attrs(**attrs: str) -> str:
    return ", ".join(f"{key}={quote(value)}" for key, value in attrs.items())


def _job_label(job: JobInfo, args: str) -> str:
    name = job.task_name
    return f"{name}({short(args, 60)})\n{job.status} {job.id[:8]}"


def _graph(name: str, lines: Iterable[str]) -> str:
    return "\n".join([f"digraph {quote(name)} {{", *HEADER, *lines, "}"]) + "\n"


def call_graph_dot(graph: CallGraph, execution_id: str) -> str:
    """DOT for the job tree: one box per job, parent -> child edges in call order."""
    lines = []
    for job in graph.jobs:
        label = _job_label(job, graph.args.get(job.call_hash or "", ""))
        color = STATUS_COLORS.get(job.status, "white")
        lines.append(f"  {quote('job_' + job.id)} [{_attrs(label=label, fillcolor=color)}];")
    for parent, child in graph.edges:
        lines.append(f"  {quote('job_' + parent)} -> {quote('job_' + child)};")
    return _graph(f"execution {execution_id}", lines)


def dataflow_dot(flow: Dataflow, execution_id: str) -> str:
    """DOT for the dataflow: call -> argument it produced -> call that consumed it.

    Arguments are small ellipses labelled ``name = value``; an argument without a
    producer came from outside the execution (the command line or a literal).
    """
    lines = []
    for call_hash, job in flow.calls.items():
        label = f"{job.task_name}\n{job.status} {call_hash[:8]}"
        color = STATUS_COLORS.get(job.status, "white")
        lines.append(f"  {quote('call_' + call_hash)} [{_attrs(label=label, fillcolor=color)}];")
    arg_style = _attrs(shape="ellipse", style="solid")
    for arg in flow.flows:
        node = quote("arg_" + arg.arg_hash)
        label = f"{arg.name} = {short(arg.preview)}"
        lines.append(f"  {node} [{_attrs(label=label)}, {arg_style}];")
        lines.append(f"  {node} -> {quote('call_' + arg.call_hash)};")
        for producer in arg.producers:
            if producer in flow.calls:
                lines.append(f"  {quote('call_' + producer)} -> {node};")
    if flow.result is not None:
        call_hash, value_hash, text = flow.result
        node = quote("value_" + value_hash)
        label = f"result = {short(text)}"
        lines.append(f"  {node} [{_attrs(label=label, shape='note', style='solid')}];")
        returned = _attrs(style="dashed", label="returns")
        lines.append(f"  {quote('call_' + call_hash)} -> {node} [{returned}];")
        for producer in flow.result_producers:
            lines.append(f"  {quote('call_' + producer)} -> {node};")
    return _graph(f"dataflow {execution_id}", lines)
