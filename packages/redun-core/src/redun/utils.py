"""Upstream's ``redun.utils`` names, for workflows and tests that import them.

Nothing lives here: each name is defined in the module that owns its concept and is
loaded on first use, so importing ``redun.utils`` stays cheap.
"""

from __future__ import annotations

import importlib
from datetime import UTC
from typing import IO, Any

_EXPORTS = {
    "add_import_path": "redun.import_paths",
    "get_import_paths": "redun.import_paths",
    "clear_import_paths": "redun.import_paths",
    "MultiMap": "redun.multimap",
    "json_dumps": "redun.hashing",
    "iter_nested_value": "redun.value.nested",
    "map_nested_value": "redun.value.nested",
    "merge_dicts": "redun.context_values",
    "get_func_source": "redun.source",
    "str2bool": "redun.text_format",
    "trim_string": "redun.text_format",
    "format_timestamp": "redun.text_format",
    "format_timedelta": "redun.text_format",
    "format_table": "redun.text_format",
    "PreviewClass": "redun.pickle_preview",
    "PreviewUnpicklable": "redun.pickle_preview",
    "PreviewingUnpickler": "redun.pickle_preview",
    "pickle_preview": "redun.pickle_preview",
    "with_pickle_preview": "redun.pickle_preview",
    "PICKLE_PROTOCOL": "redun.pickling",
    "pickle_dumps": "redun.pickling",
}

__all__ = sorted([*_EXPORTS, "pickle_dump", "pickle_loads", "utcnow"])


def pickle_dump(obj: Any, file: IO[bytes]) -> None:
    """Pickle ``obj`` to ``file`` with redun's fixed protocol (hashes depend on it)."""
    from redun.pickling import pickle_dumps

    file.write(pickle_dumps(obj))


def pickle_loads(data: bytes) -> Any:
    """Unpickle ``data``; inside ``with_pickle_preview()`` missing classes are previewed."""
    import pickle

    from redun.pickle_preview import pickle_preview, preview_active

    active, raise_error = preview_active()
    if active:
        return pickle_preview(data, raise_error=raise_error)
    return pickle.loads(data)


def utcnow() -> Any:
    """The current time, timezone-aware in UTC."""
    from datetime import datetime

    return datetime.now(UTC)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'redun.utils' has no attribute '{name}'")
    return getattr(importlib.import_module(module), name)
