"""Custom Value types: a ProxyValue storing JSON, and a Value whose validity can lapse."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from redun import Scheduler, task
from redun.hashing import hash_struct
from redun.value import ProxyValue, Value

redun_namespace = "test_custom_values"


class Point:
    def __init__(self, x: int, y: int) -> None:
        self.x, self.y = x, y

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Point) and (self.x, self.y) == (other.x, other.y)


class PointType(ProxyValue):
    """Stores Points as JSON and hashes them by coordinates."""

    type = Point
    type_name = "test_custom_values.Point"

    def get_hash(self, data: bytes | None = None) -> str:
        return hash_struct(["Point", str(self.instance.x), str(self.instance.y)])

    def get_serialization_format(self) -> str:
        return "application/json"

    def serialize(self) -> bytes:
        return json.dumps({"x": self.instance.x, "y": self.instance.y}).encode()

    @classmethod
    def deserialize(cls, raw_type: type, data: bytes) -> Any:
        return Point(**json.loads(data))


VALID = {"ok": True}


class Lease(Value):
    """A value that stops being valid when its lease is revoked."""

    type_name = "test_custom_values.Lease"

    def __init__(self, name: str) -> None:
        self.name = name

    def __getstate__(self) -> dict:
        return {"name": self.name}

    def __setstate__(self, state: dict) -> None:
        self.name = state["name"]

    def is_valid(self) -> bool:
        return VALID["ok"]


def test_proxy_value_serializes_with_its_own_format(tmp_path):
    runs = []

    @task()
    def make_point(x: int):
        runs.append(x)
        return Point(x, x + 1)

    db = tmp_path / "redun.db"
    config = {"backend": {"db_uri": f"sqlite:///{db}"}}
    assert Scheduler(config=config).run(make_point(1)) == Point(1, 2)
    assert Scheduler(config=config).run(make_point(1)) == Point(1, 2)
    assert runs == [1]
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT format, value FROM value WHERE type = 'test_custom_values.Point'"
        ).fetchone()
    assert row[0] == "application/json"
    assert json.loads(row[1]) == {"x": 1, "y": 2}


def test_invalid_cached_value_reruns_the_task(tmp_path):
    runs = []

    @task()
    def lease(name: str):
        runs.append(name)
        return Lease(name)

    config = {"backend": {"db_uri": f"sqlite:///{tmp_path / 'redun.db'}"}}
    Scheduler(config=config).run(lease("a"))
    Scheduler(config=config).run(lease("a"))
    assert runs == ["a"]
    VALID["ok"] = False
    try:
        Scheduler(config=config).run(lease("a"))
    finally:
        VALID["ok"] = True
    assert runs == ["a", "a"]
