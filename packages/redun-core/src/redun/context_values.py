"""Context: JSON configuration visible to tasks through ``get_context`` (REFERENCE §1.3)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def merge_dicts(dicts: Iterable[dict]) -> dict:
    """Deep-merge dicts left to right (later values win; nested dicts merge)."""
    result: dict = {}
    for item in dicts:
        for key, value in item.items():
            if isinstance(value, dict) and isinstance(result.get(key), dict):
                result[key] = merge_dicts([result[key], value])
            else:
                result[key] = value
    return result


def get_context_value(context: dict, var_path: str, default: Any = None) -> Any:
    """Look up a dotted path (``"tool.ratio"``) in a nested context dict."""
    value: Any = context
    for part in var_path.split("."):
        if not isinstance(value, dict) or part not in value:
            return default
        value = value[part]
    return value
