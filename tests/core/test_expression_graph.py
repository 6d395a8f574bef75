"""Expression graphs of any depth: hashed, serialized and validated without recursion,
and byte-identical to upstream's format while shallow enough for it."""

from __future__ import annotations

import pickle

from redun import task
from redun.expression import TaskExpression
from redun.expression_graph import NESTED_DEPTH
from redun.scheduler.recording import Recorder
from redun.value import get_type_registry

redun_namespace = "test_expression_graph"


@task()
def step(x: int, y: int = 0) -> int:
    return x + y


def _chain(n: int) -> TaskExpression:
    x = step(0)
    for i in range(n):
        x = step(x, y=i) if i % 2 else step(x)
    return x


def _value_bytes(value) -> tuple[str, bytes]:
    """What the recorder stores for a value: (hash, bytes)."""
    registry = get_type_registry()
    recorder = Recorder(backend=None, type_registry=registry)
    value_hash, rows = recorder.value_row(value)
    return value_hash, rows[-1].value


def test_a_very_deep_chain_hashes_records_loads_and_validates():
    expr = _chain(50_000)
    value_hash, data = _value_bytes(expr)
    loaded = pickle.loads(data)
    # The loaded graph is the same graph: same hash, computed afresh.
    assert loaded._hash is None
    assert loaded.get_hash() == value_hash
    assert loaded.is_valid()


def test_shallow_graphs_keep_upstreams_bytes():
    registry = get_type_registry()
    expr = _chain(NESTED_DEPTH - 2)
    value_hash, data = _value_bytes([expr, {"k": expr}])
    assert data == registry.serialize([expr, {"k": expr}])
    assert pickle.loads(data)[0].get_hash() == expr.get_hash()
