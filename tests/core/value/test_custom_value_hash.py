"""A custom Value's own get_hash(self) is used as upstream documents it (no data argument)."""

from __future__ import annotations

from redun import Scheduler, task
from redun.value import Value, get_type_registry


class Point(Value):
    type_name = "custom_hash_test.Point"

    def __init__(self, x: int) -> None:
        self.x = x

    def __getstate__(self) -> dict:
        return {"x": self.x}

    def __setstate__(self, state: dict) -> None:
        self.x = state["x"]

    def get_hash(self) -> str:
        return ("a" if self.x >= 0 else "b") * 40


@task(namespace="custom_hash_test")
def make(x: int) -> Point:
    return Point(x)


@task(namespace="custom_hash_test")
def use(point: Point) -> int:
    return point.x


def test_custom_get_hash_without_data_argument():
    registry = get_type_registry()
    assert registry.get_hash(Point(3)) == "a" * 40
    assert registry.get_hash(Point(-1), b"ignored") == "b" * 40
    assert Scheduler().run(use(make(3))) == 3
