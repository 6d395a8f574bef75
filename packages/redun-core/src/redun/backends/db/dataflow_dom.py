"""The dataflow "DOM" (sections as clauses with variable names) and its text and JSON forms.

Each section becomes an assignment (``bam <-- argument of <hash> task(args)``), routing
lines (further calls the value passed through) and argument lines (``x = <hash> 10``).
Variables are named after task parameters, made unique with ``_2``, ``_3``... suffixes,
and a call's parameters are shown under the names its arguments got.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from textwrap import dedent
from typing import Any, NamedTuple

from redun.backends.db.dataflow_nodes import (
    ArgumentValue,
    CallNodeValue,
    DataflowEdge,
    DataflowNode,
    DataflowSection,
)
from redun.backends.db.dataflow_sections import DataflowSectionKind, iter_dataflow_sections
from redun.backends.db.models import CallNode, Task, Value
from redun.text_format import trim_string


class DataflowAssign(NamedTuple):
    """A section's first line: the variable and the node it came from."""

    var_name: str
    prefix: str
    node_display: str
    node: DataflowNode | None


class DataflowRouting(NamedTuple):
    """A further line of a section: a call (or variable) the value passed through."""

    prefix: str
    node_display: str
    node: DataflowNode | None


class DataflowArg(NamedTuple):
    """An argument line: a variable named for a call's parameter, and its value."""

    var_name: str
    value: Value


class DataflowSectionDOM(NamedTuple):
    """One paragraph of the display."""

    assign: DataflowAssign
    routing: list[DataflowRouting]
    args: list[DataflowArg]


DataflowDOM = Iterable[DataflowSectionDOM]


def get_task_args(task: Task) -> list[str]:
    """The task's parameter names, read from its recorded source.

    Raises ``SyntaxError`` when the source is not a function definition.
    """
    tree = ast.parse(dedent(task.source))
    if not tree.body or not isinstance(tree.body[0], ast.FunctionDef):
        raise SyntaxError("task source is not a function definition")
    return [arg.arg for arg in tree.body[0].args.args]


def get_default_arg_name(pos: int) -> str:
    """The name shown for a positional argument whose parameter name is unknown."""
    return f"arg{pos}"


def make_var_name(var_name_base: str, name2var: dict[str, Any], suffix: int = 2) -> str:
    """``var_name_base`` without any ``_N`` ending, suffixed again if the name is taken."""
    base = re.sub(r"_\d+$", "", var_name_base)
    name = base
    while name in name2var:
        name = f"{base}_{suffix}"
        suffix += 1
    return name


class DataflowVars:
    """The variable names given to dataflow nodes, unique across one display."""

    def __init__(self) -> None:
        self.var2name: dict[Any, str] = {}
        self.name2var: dict[str, Any] = {}
        self.task2args: dict[Any, list[str]] = {}
        # The last suffix given per base name: names are only ever added, so the search
        # for a free one resumes there (thousands of x_N stay linear).
        self._suffixes: dict[str, int] = {}

    def __getitem__(self, node: DataflowNode) -> str:
        return self.var2name[node]

    def __setitem__(self, node: DataflowNode, var_name: str) -> None:
        self.var2name[node] = var_name
        self.name2var[var_name] = node

    def __contains__(self, node: DataflowNode) -> bool:
        return node in self.var2name

    def get_task_args(self, task: Task) -> list[str]:
        """The task's parameter names (``[]`` if its source cannot be read)."""
        if task not in self.task2args:
            try:
                self.task2args[task] = get_task_args(task)
            except SyntaxError:
                return []
        return self.task2args[task]

    def new_var_name(
        self, node: DataflowNode, base_var_name: str | None = None
    ) -> tuple[str, str | None]:
        """The node's name, naming it first if needed: ``(name, base it was made from)``.

        The base is ``None`` when the node was already named. Without a base, the node
        must be an ``ArgumentValue``, named after its keyword or its parameter.
        """
        if node in self.var2name:
            return self.var2name[node], None
        if not base_var_name:
            argument = node.argument
            if argument.arg_key:
                base_var_name = argument.arg_key
            else:
                names = self.get_task_args(argument.call_node.task)
                position = argument.arg_position
                if position < len(names):
                    base_var_name = names[position]
                else:
                    base_var_name = get_default_arg_name(position)
        stem = re.sub(r"_\d+$", "", base_var_name)
        name = make_var_name(base_var_name, self.name2var, self._suffixes.get(stem, 2))
        if name != stem:
            self._suffixes[stem] = int(name.rsplit("_", 1)[1]) + 1
        self[node] = name
        return name, base_var_name


def _node_call(node: DataflowNode | None) -> CallNode | None:
    if isinstance(node, CallNode):
        return node
    if isinstance(node, ArgumentValue):
        return node.argument.call_node
    if isinstance(node, CallNodeValue):
        return node.call_node
    return None


def display_value(value: Value) -> str:
    """A value's ``repr``, cut to 200 characters."""
    return trim_string(repr(value.preview))


def display_call_node(call_node: CallNode, renames: dict[str, str]) -> str:
    """``task(param, ...)`` with parameters shown under their variables' names."""
    try:
        names = get_task_args(call_node.task)
    except SyntaxError:
        names = [get_default_arg_name(i) for i in range(len(call_node.arguments))]
    shown = ", ".join(renames.get(name, name) for name in names)
    return f"{call_node.task.name}({shown})"


def display_node(node: DataflowNode | None, renames: dict[str, str]) -> tuple[str, str]:
    """``(prefix, text)`` for a node in an assignment or routing line."""
    if node is None:
        return "", "origin"
    if isinstance(node, Value):
        return "", display_value(node)
    prefix = "argument of" if isinstance(node, ArgumentValue) else ""
    return prefix, display_call_node(_node_call(node), renames)


def display_hash(node: DataflowNode | None) -> str:
    """``"<hash8> "`` of a node (a value's hash, else its call's), or ``""``."""
    if isinstance(node, Value):
        return f"<{node.value_hash[:8]}> "
    call_node = _node_call(node)
    return f"<{call_node.call_hash[:8]}> " if call_node is not None else ""


def make_section_dom(
    section: DataflowSection, dataflow_vars: DataflowVars, new_varname: str = "value"
) -> DataflowSectionDOM:
    """The clauses of a call section, naming the variables it introduces."""
    first_src, assign_node = section[0]
    if isinstance(first_src, Value):
        dataflow_vars[first_src] = new_varname
        assign_var_name = new_varname
    else:
        assign_var_name = dataflow_vars[first_src]

    routes: list[DataflowNode | None] = []
    args: list[DataflowArg] = []
    renames: dict[str, str] = {}
    # Whether the section only passes one variable to another (no call reached).
    var_to_var = isinstance(assign_node, (ArgumentValue, CallNodeValue))
    last_dest: DataflowNode | None = None

    for src, dest in section[1:]:
        if isinstance(src, CallNode) and isinstance(dest, ArgumentValue):
            name, base = dataflow_vars.new_var_name(dest)
            if base:
                renames[base] = name
            args.append(DataflowArg(name, dest.value))
            continue
        last_dest = dest
        if isinstance(dest, CallNode):
            var_to_var = False
        if not (isinstance(src, CallNodeValue) and isinstance(dest, CallNode)):
            # A result's own call adds nothing to the line naming that call.
            routes.append(dest)

    # Parameters are shown renamed only on the line of the call whose arguments follow.
    if var_to_var and not routes:
        name, _ = dataflow_vars.new_var_name(assign_node, dataflow_vars[first_src])
        assign = DataflowAssign(assign_var_name, "", name, assign_node)
    else:
        prefix, text = display_node(assign_node, renames if not routes else {})
        assign = DataflowAssign(assign_var_name, prefix, text, assign_node)

    routing = []
    for i, dest in enumerate(routes, 1):
        prefix, text = display_node(dest, renames if i == len(routes) else {})
        routing.append(DataflowRouting(prefix, text, dest))

    if var_to_var and isinstance(last_dest, (ArgumentValue, CallNodeValue)):
        # The path ends where it meets another: name the meeting point.
        name, _ = dataflow_vars.new_var_name(last_dest, dataflow_vars[first_src])
        routing.append(DataflowRouting("", name, last_dest))

    return DataflowSectionDOM(assign, routing, args)


def make_data_section_dom(
    section: DataflowSection, dataflow_vars: DataflowVars, new_varname: str = "value"
) -> DataflowSectionDOM:
    """The clauses of a "derives from" section: a value built from parts of results."""
    [target] = {edge.src for edge in section}
    parts: list[CallNodeValue] = list(dict.fromkeys(edge.dest for edge in section))
    args = []
    for part in parts:
        name, _ = dataflow_vars.new_var_name(part, part.call_node.task.name + "_result")
        args.append(DataflowArg(name, part.value))
    assign = DataflowAssign(dataflow_vars[target], "", "derives from", None)
    return DataflowSectionDOM(assign, [], args)


def make_dataflow_dom(
    dataflow_edges: Iterable[DataflowEdge], new_varname: str = "value"
) -> Iterator[DataflowSectionDOM]:
    """The sections of a dataflow, their variables named; the start is ``new_varname``."""
    dataflow_vars = DataflowVars()
    for kind, section in iter_dataflow_sections(dataflow_edges):
        if kind == DataflowSectionKind.DATA:
            yield make_data_section_dom(section, dataflow_vars, new_varname)
        else:
            yield make_section_dom(section, dataflow_vars, new_varname)


def display_section(dom: DataflowSectionDOM) -> Iterator[str]:
    """The text lines of one section."""
    assign = dom.assign
    prefix = f"{assign.prefix} " if assign.prefix else ""
    yield f"{assign.var_name} <-- {prefix}{display_hash(assign.node)}{assign.node_display}"
    indent = " " * (len(assign.var_name) + 1)
    for route in dom.routing:
        prefix = f"{route.prefix} " if route.prefix else ""
        yield f"{indent}<-- {prefix}{display_hash(route.node)}{route.node_display}"
    width = max((len(arg.var_name) for arg in dom.args), default=0)
    for arg in dom.args:
        yield (
            f"  {arg.var_name.ljust(width)} = <{arg.value.value_hash[:8]}> "
            f"{display_value(arg.value)}"
        )


def display_dataflow(dom: DataflowDOM) -> Iterator[str]:
    """The text lines of a dataflow, a blank line after each section."""
    for section in dom:
        yield from display_section(section)
        yield ""


def _latest_job(call_node: CallNode | None) -> tuple[str | None, str | None]:
    jobs = call_node.jobs if call_node is not None else []
    if not jobs:
        return None, None
    job = max(jobs, key=lambda job: job.start_time)
    return job.id, job.execution_id


def serialize_section(dom: DataflowSectionDOM) -> dict:
    """One section as JSON-ready data, with the hash, job and execution of each line."""
    node = dom.assign.node
    if isinstance(node, Value):
        assign_hash, job_id, execution_id = node.value_hash, None, None
    else:
        call_node = _node_call(node)
        assign_hash = call_node.call_hash if call_node is not None else None
        job_id, execution_id = _latest_job(call_node)

    routing = []
    for route in dom.routing:
        call_node = _node_call(route.node)
        route_job, route_execution = _latest_job(call_node)
        routing.append(
            {
                "prefix": route.prefix,
                "hash": call_node.call_hash if call_node is not None else None,
                "display": route.node_display,
                "job_id": route_job,
                "execution_id": route_execution,
            }
        )

    return {
        "assign": {
            "var_name": dom.assign.var_name,
            "prefix": dom.assign.prefix,
            "display": dom.assign.node_display,
            "hash": assign_hash,
            "job_id": job_id,
            "execution_id": execution_id,
        },
        "routing": routing,
        "args": [
            {
                "var_name": arg.var_name,
                "hash": arg.value.value_hash,
                "value_display": display_value(arg.value),
            }
            for arg in dom.args
        ],
    }


def serialize_dataflow(dom: DataflowDOM) -> Iterator[dict]:
    """Each section as JSON-ready data."""
    for section in dom:
        yield serialize_section(section)
