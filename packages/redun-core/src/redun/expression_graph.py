"""Deep expression graphs, walked without recursion: hashing order, depth, serialization.

An expression's pickled state holds its arguments as a nested pickle (upstream's
format), so pickling or unpickling a chain of n calls recurses n levels deep through
``pickle`` (a C stack overflow at about 8,000) and copies O(n²) bytes. Graphs deeper
than :data:`NESTED_DEPTH` (upstream itself fails near 500) are therefore recorded flat:
every expression's state in post-order, each referring to the expressions below it by
index, rebuilt by one loop on load. Shallower graphs keep upstream's bytes exactly.
"""

from __future__ import annotations

import threading
from typing import Any

from redun.pickling import pickle_dumps, pickle_loads

# Deeper graphs are recorded flat: upstream's nested format recurses ~6 frames a level,
# so a default recursion limit cannot write much deeper (upstream fails near 500).
NESTED_DEPTH = 100

_PLAIN = frozenset({int, str, float, bytes, bool, type(None)})
_local = threading.local()


# The Expression base class, handed down by redun.expression (a layer above) at import.
_expression_class: type | None = None


def set_expression_class(cls: type) -> None:
    global _expression_class
    _expression_class = cls


def _expression_type() -> type:
    assert _expression_class is not None, "redun.expression is not imported"
    return _expression_class


def child_expressions(expr: Any) -> list[Any]:
    """The expressions an expression's state refers to (in arguments and options),
    looking through containers but not into other expressions."""
    # Read from __dict__: an expression's missing attribute is a lazy getattr expression.
    fields = expr.__dict__
    args, kwargs, options = fields.get("args"), fields.get("kwargs"), fields.get("_options")
    if not options:
        # The common case, a call on plain values, without building anything.
        plain = _PLAIN
        if all(type(arg) in plain for arg in args or ()) and all(
            type(value) in plain for value in (kwargs or {}).values()
        ):
            return []
    from redun.value.nested import is_namedtuple

    expression = _expression_type()
    found: list[Any] = []
    stack: list[Any] = [args, kwargs, options]
    while stack:
        item = stack.pop()
        item_type = type(item)
        if item_type in _PLAIN:
            continue
        if isinstance(item, expression):
            found.append(item)
        elif item_type is dict:
            stack.extend(item.keys())
            stack.extend(item.values())
        elif item_type in (list, tuple, set, frozenset) or is_namedtuple(item):
            stack.extend(item)
    return found


def post_order(roots: list[Any]) -> tuple[list[Any], int]:
    """Every expression reachable from ``roots`` (children first) and the graph's depth."""
    order: list[Any] = []
    depth: dict[int, int] = {}
    children: dict[int, list[Any]] = {}
    stack: list[Any] = list(reversed(roots))
    while stack:
        expr = stack.pop()
        key = id(expr)
        if key in depth:
            continue
        below = children.get(key)
        if below is None:
            below = children[key] = child_expressions(expr)
            pending = [child for child in below if id(child) not in depth]
            if pending:
                stack.append(expr)
                stack.extend(pending)
                continue
        depth[key] = 1 + max((depth[id(child)] for child in below), default=0)
        order.append(expr)
    return order, max(depth.values(), default=0)


def roots_of(value: Any) -> list[Any]:
    """The outermost expressions inside a (possibly nested) value."""
    from redun.value.nested import iter_nested_value

    expression = _expression_type()
    if isinstance(value, expression):
        return [value]
    return [item for item in iter_nested_value(value) if isinstance(item, expression)]


def flat_dumps_if_deep(value: Any) -> bytes | None:
    """``value`` pickled flat if the expressions in it nest deeper than NESTED_DEPTH,
    else None (the caller serializes as usual, in upstream's format)."""
    roots = roots_of(value)
    if not roots:
        return None
    order, depth = post_order(roots)
    if depth <= NESTED_DEPTH:
        return None
    index = {id(expr): i for i, expr in enumerate(order)}
    saved = getattr(_local, "index", None)
    _local.index = index
    try:
        # Each state pickles its arguments with the expressions below as references.
        states = [(type(expr), expr.__getstate__()) for expr in order]
        root = pickle_dumps(value)
    finally:
        _local.index = saved
    return pickle_dumps(_FlatGraph(states, root))


def node_reference(expr: Any) -> tuple | None:
    """How ``expr`` pickles while a flat graph is being written: a reference by index."""
    index = getattr(_local, "index", None)
    if index is None:
        return None
    position = index.get(id(expr))
    return None if position is None else (_resolve_node, (position,))


class _FlatGraph:
    """Pickles as a call that rebuilds the graph and returns the recorded value."""

    def __init__(self, states: list, root: bytes) -> None:
        self.states = states
        self.root = root

    def __reduce__(self) -> tuple:
        return (_rebuild, (self.states, self.root))


def _rebuild(states: list, root: bytes) -> Any:
    nodes: list[Any] = []
    saved = getattr(_local, "nodes", None)
    _local.nodes = nodes
    try:
        for cls, state in states:
            node = cls.__new__(cls)
            node.__setstate__(state)
            nodes.append(node)
        return pickle_loads(root)
    finally:
        _local.nodes = saved


def _resolve_node(position: int) -> Any:
    return _local.nodes[position]


def hash_in_post_order(expr: Any) -> None:
    """Compute the hashes of ``expr``'s unhashed argument expressions children first, so
    hashing a deep chain never recurses (each hash then reads its children's)."""
    stack: list[tuple[Any, bool]] = [(expr, False)]
    while stack:
        node, expanded = stack.pop()
        if node._hash is not None:
            continue
        if expanded:
            node._hash = node._calc_hash()
            continue
        stack.append((node, True))
        expression = _expression_type()
        fields = node.__dict__
        for child in (*fields.get("args", ()), *fields.get("kwargs", {}).values()):
            if isinstance(child, expression) and child._hash is None:
                stack.append((child, False))
