"""Task namespaces: explicit, module-level ``redun_namespace``, or the ``namespace()`` global."""

from __future__ import annotations

import sys
from typing import Any

_current_namespace = ""


def namespace(_namespace: str | None = None) -> None:
    """Set the namespace for tasks defined after this call (None unsets it)."""
    global _current_namespace
    _current_namespace = _namespace or ""


def get_current_namespace() -> str:
    return _current_namespace


def compute_namespace(obj: Any, namespace: str | None = None) -> str:
    if namespace is None:
        module = sys.modules.get(getattr(obj, "__module__", ""), None)
        namespace = getattr(module, "redun_namespace", None)
    if namespace is not None:
        return namespace
    return get_current_namespace()
