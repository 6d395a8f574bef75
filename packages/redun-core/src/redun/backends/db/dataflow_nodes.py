"""The node and edge types of an upstream dataflow graph (see ``redun.backends.db.dataflow``).

A node is one of: a ``Value`` (where the walk starts), a ``CallNode`` (a task call as a
whole), an ``ArgumentValue`` (a value seen as, or inside, one argument of a call) or a
``CallNodeValue`` (a value seen as, or inside, the result of a call). Edges point
upstream, from a node to the node it came from; ``None`` as the destination is the
"origin": the value entered the workflow there (typed by the user, or built by a task).
"""

from __future__ import annotations

from typing import NamedTuple, Union

from redun.backends.db.models import Argument, CallNode, Value


class ArgumentValue(NamedTuple):
    """``value`` as it was passed in ``argument`` (the whole argument or a part of it)."""

    argument: Argument
    value: Value


class CallNodeValue(NamedTuple):
    """``value`` as it came out of ``call_node`` (its whole result or a part of it)."""

    call_node: CallNode
    value: Value


# The kinds of node (ORM objects of one session, so equal records are the same object).
DataflowNode = Union[ArgumentValue, CallNodeValue, CallNode, Value]


class DataflowEdge(NamedTuple):
    """An upstream step: ``src`` was derived from ``dest`` (``None``: the origin)."""

    src: DataflowNode
    dest: DataflowNode | None


# The edges shown together as one paragraph of the display.
DataflowSection = list[DataflowEdge]
