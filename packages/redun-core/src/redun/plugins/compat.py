"""Upstream import paths whose code moved into plugins.

Code written for upstream redun imports ``redun.executors.aws_batch`` or ``redun.glue``.
Those modules stay in core as shims: importing the shim always works (so a workflow that
merely mentions the path still loads), and reading a name from it imports the plugin
that now holds it, or fails with an ``ImportError`` that says which package to install.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any


def resolve_moved(shim: str, name: str, modules: Sequence[str], distribution: str) -> Any:
    """Attribute ``name`` of shim module ``shim``, read from the first of ``modules``
    that defines it.

    Parameters
    ----------
    shim : str
        The upstream module path being emulated, for messages.
    name : str
        The attribute asked for.
    modules : sequence of str
        The plugin modules that may define it, most specific first.
    distribution : str
        The distribution that provides ``modules``, for "pip install" hints.

    Raises
    ------
    ImportError
        The plugin is not installed, or it is installed but fails to import.
    AttributeError
        ``name`` is a dunder, or no plugin module defines it.
    """
    if name.startswith("__") and name.endswith("__"):
        # Probes such as __path__ or __all__ must see a plain missing attribute.
        raise AttributeError(f"module {shim!r} has no attribute {name!r}")
    found_any = False
    for module_name in modules:
        module = _import_plugin_module(shim, module_name, distribution)
        found_any = found_any or module is not None
        if module is not None and hasattr(module, name):
            return getattr(module, name)
    if not found_any:
        raise ImportError(
            f"{shim} is provided by {distribution}: pip install {distribution}", name=shim
        )
    raise AttributeError(
        f"module {shim!r} has no attribute {name!r}: {distribution} does not provide it "
        f"(looked in {', '.join(modules)})"
    )


def _import_plugin_module(shim: str, module_name: str, distribution: str) -> Any | None:
    """The plugin module, None when it is not installed; a broken one is an ImportError."""
    try:
        return importlib.import_module(module_name)
    except ImportError as exc:
        missing = exc.name or ""
        # The plugin (or the part of it holding module_name) is absent, not broken.
        if missing == module_name or module_name.startswith(f"{missing}."):
            return None
        raise ImportError(
            f"{shim} is provided by {distribution}, which failed to import: "
            f"{type(exc).__name__}: {exc}",
            name=shim,
        ) from exc
