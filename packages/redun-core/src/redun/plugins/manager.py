"""Finding and loading plugins: built-ins at once, entry points on demand, each alone.

The manager is created on first use, never at ``import redun``. It registers core's own
parts (:mod:`redun.plugins.builtin`) immediately, because those are what almost every
run needs; installed plugins are imported only when something is asked for that the
built-ins do not provide (or everything must be listed). Each entry point is imported
in isolation so that one broken plugin is reported instead of breaking all of redun.

Environment variables:

``REDUN_DISABLE_PLUGIN_AUTOLOAD=1``
    load no entry point at all (built-ins only); ``0``, ``false``, ``no`` or empty
    leave autoloading on.
``REDUN_DISABLE_PLUGINS=aws,redun-spark``
    skip these plugins, named by entry point or by distribution, comma-separated.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pluggy

from redun.errors import PluginError
from redun.plugins import hookspecs

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

PROJECT_NAME = "redun"
ENTRY_POINT_GROUP = "redun"
BUILTIN_PLUGIN_NAME = "builtin"
DISABLE_AUTOLOAD_ENV = "REDUN_DISABLE_PLUGIN_AUTOLOAD"
DISABLE_PLUGINS_ENV = "REDUN_DISABLE_PLUGINS"

logger = logging.getLogger("redun.plugins")


@dataclass(frozen=True)
class PluginSource:
    """Where a plugin came from, for ``redun plugins`` and error messages."""

    name: str
    module: str
    distribution: str | None = None
    version: str | None = None


class PluginManager:
    """pluggy's manager, wrapped (as hatch wraps it) with lazy, failure-isolated entry
    point loading and the bookkeeping ``redun plugins`` and the lookup tables need.

    Attributes
    ----------
    failures : dict[str, BaseException]
        Entry point name -> the exception raised while importing or registering it.
    autoload_disabled : bool
        Whether ``REDUN_DISABLE_PLUGIN_AUTOLOAD`` stopped entry points from loading.
    sources : dict[str, PluginSource]
        Plugin name -> its module and distribution.
    generation : int
        Bumped whenever the set of plugins changes.
    lookup_cache : dict[str, Any]
        Per-hook tables of :mod:`redun.plugins.registry`, valid for one generation.
    """

    def __init__(self) -> None:
        self._pluggy = pluggy.PluginManager(PROJECT_NAME)
        self._pluggy.add_hookspecs(hookspecs)
        self.failures: dict[str, BaseException] = {}
        self.sources: dict[str, PluginSource] = {}
        self.entry_points_loaded = False
        self.autoload_disabled = False
        self.generation = 0
        self.lookup_cache: dict[str, Any] = {}
        self._lock = threading.RLock()

    @property
    def hook(self) -> Any:
        """pluggy's hook relay: ``manager.hook.redun_executors()``."""
        return self._pluggy.hook

    @property
    def disabled(self) -> set[str]:
        """Entry point names skipped because of ``REDUN_DISABLE_PLUGINS`` (blocked in
        pluggy, so registering them does nothing)."""
        return {name for name in self.sources if self._pluggy.is_blocked(name)}

    def register(self, plugin: Any, name: str | None = None) -> str | None:
        """Register a plugin module or object; ``None`` when its name is blocked."""
        result = self._pluggy.register(plugin, name)
        if result is not None and result not in self.sources:
            module = getattr(plugin, "__name__", type(plugin).__name__)
            self.sources[result] = PluginSource(result, module)
        self.generation += 1
        return result

    def unregister(self, plugin: Any | None = None, name: str | None = None) -> Any | None:
        result = self._pluggy.unregister(plugin, name)
        self.generation += 1
        return result

    def has_plugin(self, name: str) -> bool:
        return self._pluggy.has_plugin(name)

    def list_name_plugin(self) -> list[tuple[str, Any]]:
        """(name, plugin) pairs in registration order, the built-in plugin first."""
        return self._pluggy.list_name_plugin()

    def load_entry_points(self) -> None:
        """Import and register every ``redun`` entry point once; record failures.

        Idempotent and thread-safe. A plugin that fails to import (missing dependency,
        syntax error, bad hook signature) lands in :attr:`failures`; the others still load.
        """
        with self._lock:
            if self.entry_points_loaded:
                return
            if autoload_disabled():
                self.autoload_disabled = True
                self.entry_points_loaded = True
                return
            # Imported here: it costs ~10 ms (email, zipfile, pathlib) and most runs
            # need nothing beyond the built-ins.
            import importlib.metadata

            disabled = disabled_plugins()
            for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
                self._load_entry_point(entry_point, disabled)
            self.entry_points_loaded = True
            self.generation += 1

    def _load_entry_point(self, entry_point: EntryPoint, disabled: set[str]) -> None:
        name = entry_point.name
        dist = getattr(entry_point, "dist", None)
        source = PluginSource(
            name,
            entry_point.value,
            dist.metadata["Name"] if dist is not None else None,
            dist.version if dist is not None else None,
        )
        if _normalize(name) in disabled or _normalize(source.distribution or "") in disabled:
            self._pluggy.set_blocked(name)
            self.sources.setdefault(name, source)
            self.generation += 1
            return
        previous = self.sources.get(name)
        if previous is not None and (self.has_plugin(name) or name in self.failures):
            if previous.module != source.module:
                self.failures[name] = PluginError(
                    f"plugin name '{name}' is used by both {_describe(previous)} and "
                    f"{_describe(source)}; uninstall one of them"
                )
            return
        self.sources[name] = source
        try:
            plugin = entry_point.load()
            self.register(plugin, name=name)
        except Exception as exc:  # any import-time failure must not break redun
            self.failures[name] = exc
            logger.debug("redun plugin '%s' failed to load: %s", name, describe_error(exc))


def autoload_disabled() -> bool:
    """Whether ``REDUN_DISABLE_PLUGIN_AUTOLOAD`` asks for built-ins only."""
    return os.environ.get(DISABLE_AUTOLOAD_ENV, "").strip().lower() not in ("", "0", "false", "no")


def disabled_plugins() -> set[str]:
    """The names in ``REDUN_DISABLE_PLUGINS`` (entry point or distribution names)."""
    names = os.environ.get(DISABLE_PLUGINS_ENV, "").split(",")
    return {_normalize(name) for name in names if name.strip()}


def _normalize(name: str) -> str:
    # Distribution names compare like pip compares them: redun_aws == Redun-AWS.
    return name.strip().lower().replace("_", "-").replace(".", "-")


def describe_error(exc: BaseException) -> str:
    """One line for a plugin failure: the exception type and the first line of its text."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__


def _describe(source: PluginSource) -> str:
    if source.distribution:
        return f"{source.distribution} ({source.module})"
    return source.module


_manager: PluginManager | None = None
_manager_lock = threading.Lock()


def get_plugin_manager() -> PluginManager:
    """The process-wide plugin manager, with the built-in plugin registered."""
    global _manager
    if _manager is None:
        with _manager_lock:
            if _manager is None:
                from redun._version import __version__
                from redun.plugins import builtin

                manager = PluginManager()
                manager.sources[BUILTIN_PLUGIN_NAME] = PluginSource(
                    BUILTIN_PLUGIN_NAME, builtin.__name__, "redun-core", __version__
                )
                manager.register(builtin, name=BUILTIN_PLUGIN_NAME)
                _manager = manager
    return _manager


def reset_plugin_manager() -> None:
    """Forget the manager so the next use rebuilds it (tests, changed environment)."""
    global _manager
    with _manager_lock:
        _manager = None


def load_entry_points() -> None:
    """Load installed plugins into the process-wide manager, once."""
    get_plugin_manager().load_entry_points()
