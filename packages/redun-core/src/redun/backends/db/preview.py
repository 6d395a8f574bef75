"""Short human-readable forms of stored values, for `redun log`."""

from __future__ import annotations

import pickle
from typing import Any

PICKLE_FORMAT = "application/python-pickle"
MAX_PREVIEW = 200
# A stored value larger than this (bytes) is not loaded to preview it (upstream's limit).
MAX_VALUE_SIZE_PREVIEW = 1_000_000


class PreviewValue:
    """Stands in for a value too large to load for display: its type, hash and size."""

    def __init__(self, value: Any, size: int) -> None:
        self.value = value
        self.size = size

    def __repr__(self) -> str:
        return f"{self.value.type}(hash={self.value.value_hash[:8]}, size={self.size})"


def trim(text: str, limit: int = MAX_PREVIEW) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def load_value(type_name: str, fmt: str, data: bytes) -> tuple[bool, Any]:
    """Deserialize a stored value; ``(False, None)`` when this process cannot.

    The repository is the user's own, written by their workflows, which is why
    unpickling it here is acceptable (upstream's log does the same).
    """
    if fmt != PICKLE_FORMAT or not data:
        return False, None
    try:
        return True, pickle.loads(data)
    except Exception:  # noqa: BLE001 - any unpickling failure only degrades the display
        return False, None


def preview(value_hash: str, type_name: str, fmt: str, data: bytes) -> str:
    """``repr`` of the value, or ``<type hash8>`` when it cannot be loaded."""
    ok, obj = load_value(type_name, fmt, data)
    if ok:
        try:
            return trim(repr(obj))
        except Exception:  # noqa: BLE001
            pass
    return f"<{type_name} {value_hash[:8]}>"
