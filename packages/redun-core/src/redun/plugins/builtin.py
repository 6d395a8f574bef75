"""Core's own parts, registered through the same hooks as any plugin.

Dogfooding the hooks keeps one lookup path for everything and proves the hooks are
sufficient. Imports happen inside the hook bodies, so registering this plugin costs
nothing until a part of that kind is needed (the backend hook is what imports
SQLAlchemy).
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from redun.plugins.hookspecs import hookimpl


@hookimpl
def redun_executors() -> list[type[Any]]:
    from redun.executors.alias import AliasExecutor
    from redun.executors.local import LocalExecutor

    return [LocalExecutor, AliasExecutor]


@hookimpl
def redun_backends() -> list[type[Any]]:
    from redun.backends.db import RedunBackendDb

    return [RedunBackendDb]


@hookimpl
def redun_filesystems() -> list[type[Any]]:
    # The local file system is optional while redun.file is being built.
    if importlib.util.find_spec("redun.file") is None:
        return []
    local = getattr(importlib.import_module("redun.file"), "LocalFileSystem", None)
    return [local] if local is not None else []


@hookimpl
def redun_value_types() -> list[type[Any]]:
    return []


@hookimpl
def redun_cli_commands() -> list[Any]:
    return []
