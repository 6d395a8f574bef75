"""redun's plugin system: pluggy hooks that let packages add executors, file systems,
backends, value types and CLI commands.

Plugin modules need only :data:`hookimpl`; the hooks are documented in
:mod:`redun.plugins.hookspecs`. Importing this package loads no plugin.
"""

from __future__ import annotations

from redun.plugins.hookspecs import hookimpl, hookspec

__all__ = ["hookimpl", "hookspec"]
