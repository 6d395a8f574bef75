"""How Python values are stored in SQLite columns: exactly what SQLAlchemy's types store."""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from redun.hashing import json_dumps


def store_datetime(value: Any) -> Any:
    # SQLAlchemy's SQLite DateTime storage: naive UTC, "YYYY-MM-DD HH:MM:SS.ffffff".
    if value is None or not isinstance(value, datetime):
        return value
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(" ", "microseconds")


def store_bool(value: Any) -> Any:
    return None if value is None else int(bool(value))


def store_json(value: Any) -> Any:
    return json_dumps(value)


def store_enum(value: Any) -> Any:
    return value.name if isinstance(value, enum.Enum) else value


CONVERTERS: dict[str, Callable[[Any], Any] | None] = {
    "": None,
    "datetime": store_datetime,
    "bool": store_bool,
    "json": store_json,
    "enum": store_enum,
}
