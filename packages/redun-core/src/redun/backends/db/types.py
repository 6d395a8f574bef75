"""Column types whose storage must match upstream redun byte for byte.

Upstream stores timestamps as naive UTC strings on SQLite and tag values as compact,
key-sorted JSON text, so an exact-match index on ``tag.value`` works. Reusing those
encodings is what lets one database be shared by both implementations.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, String
from sqlalchemy.types import TypeDecorator

from redun.backends.base import TagEntity  # noqa: F401 - models and users import it here
from redun.hashing import json_dumps  # the normalized form tags are hashed in


class JSON(TypeDecorator):
    """JSON stored as normalized text on SQLite and as JSONB on PostgreSQL."""

    impl = String
    cache_ok = True

    def load_dialect_impl(self, dialect: Any) -> Any:
        if dialect.name == "postgresql":
            # Imported here: the PostgreSQL dialect costs SQLite users startup time.
            from sqlalchemy.dialects.postgresql import JSONB

            return dialect.type_descriptor(JSONB())
        return dialect.type_descriptor(String())

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        if dialect.name == "postgresql":
            return value
        return json_dumps(value)

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        if dialect.name == "postgresql" or value is None:
            return value
        return json.loads(value)


class DateTimeUTC(TypeDecorator):
    """Timezone-aware datetimes kept in UTC; naive inputs are taken to be UTC already.

    SQLite has no time zones, so values are stored as naive UTC wall-clock text (what
    upstream writes) and read back with ``tzinfo=UTC``.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value
