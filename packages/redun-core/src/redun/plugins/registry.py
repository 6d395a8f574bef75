"""Looking parts up by key: executor types, URL schemes, db_uri schemes, type names.

Every part reaches redun through a hook (built-ins included), keyed by a class attribute
(``executor_type``, ``schemes``, ``type_name``) or a command's ``name``. Lookups try the
plugins already registered first, so built-ins resolve without touching installed
packages' metadata; entry points are scanned only on a miss, or when everything is
listed. Results are cached until the set of plugins changes.
"""

from __future__ import annotations

import importlib
import threading
from dataclasses import dataclass, field
from typing import Any

from redun.errors import PluginError
from redun.plugins.hints import package_for
from redun.plugins.manager import (
    DISABLE_AUTOLOAD_ENV,
    DISABLE_PLUGINS_ENV,
    PluginManager,
    describe_error,
    get_plugin_manager,
)


@dataclass(frozen=True)
class Kind:
    """One kind of part: its hook, the attribute holding its key(s), and its labels.

    ``label`` names one key in error messages ("unknown executor type 'x'"); ``plural``
    names the kind in ``redun plugins`` ("file systems"; JSON uses ``file_systems``).
    """

    hook: str
    attr: str
    label: str
    plural: str
    many: bool = False

    @property
    def field(self) -> str:
        """The key of this kind in ``redun plugins --json``."""
        return self.plural.replace(" ", "_")


EXECUTORS = Kind("redun_executors", "executor_type", "executor type", "executors")
FILESYSTEMS = Kind("redun_filesystems", "schemes", "file system scheme", "file systems", True)
BACKENDS = Kind("redun_backends", "schemes", "database scheme", "backends", many=True)
VALUE_TYPES = Kind("redun_value_types", "type_name", "value type", "value types")
CLI_COMMANDS = Kind("redun_cli_commands", "name", "command", "commands")
KINDS = (EXECUTORS, FILESYSTEMS, BACKENDS, VALUE_TYPES, CLI_COMMANDS)

EXTRA_SOURCE = "register_executor"


@dataclass
class Table:
    """Everything one hook provides: key -> (plugin name, item), plus what went wrong."""

    generation: tuple[int, int]
    items: dict[str, tuple[str, Any]] = field(default_factory=dict)
    conflicts: dict[str, list[str]] = field(default_factory=dict)
    failures: dict[str, BaseException] = field(default_factory=dict)


_extra: dict[str, dict[str, Any]] = {}
_extra_generation = 0
_lock = threading.RLock()


def register_extra(kind: Kind, key: str, item: type | str) -> None:
    """Register a part outside any plugin (``register_executor``); ``item`` may be a
    ``"module.Class"`` path imported on first lookup. Re-registering a key replaces it."""
    global _extra_generation
    with _lock:
        _extra.setdefault(kind.hook, {})[key] = item
        _extra_generation += 1


def collect_table(kind: Kind, manager: PluginManager) -> Table:
    """Everything registered plugins provide for ``kind`` (cached per plugin generation)."""
    generation = (manager.generation, _extra_generation)
    tables = manager.lookup_cache
    table = tables.get(kind.hook)
    if table is not None and table.generation == generation:
        return table
    with _lock:
        table = Table(generation)
        hook = getattr(manager.hook, kind.hook)
        for impl in hook.get_hookimpls():  # registration order: built-ins first
            try:
                provided = list(impl.function() or [])
                for item in provided:
                    for key in _keys(kind, item, impl.plugin_name):
                        _add(table, key, impl.plugin_name, item)
            except Exception as exc:  # a broken plugin must not hide the others
                table.failures[impl.plugin_name] = exc
        for key, item in _extra.get(kind.hook, {}).items():
            _add(table, key, EXTRA_SOURCE, item)
        tables[kind.hook] = table
        return table


def _keys(kind: Kind, item: Any, plugin: str) -> tuple[str, ...]:
    value = getattr(item, kind.attr, None)
    keys = tuple(value or ()) if kind.many else ((value,) if value else ())
    if not keys or not all(isinstance(key, str) for key in keys):
        raise PluginError(
            f"plugin '{plugin}' returned {item!r} from {kind.hook}() without a "
            f"{kind.attr}; set it on the class"
        )
    return keys


def _add(table: Table, key: str, plugin: str, item: Any) -> None:
    if key in table.conflicts:
        table.conflicts[key].append(plugin)
        return
    existing = table.items.get(key)
    if existing is None:
        table.items[key] = (plugin, item)
    elif not _same(existing[1], item):
        del table.items[key]
        table.conflicts[key] = [existing[0], plugin]


def _same(a: Any, b: Any) -> bool:
    def path(obj: Any) -> Any:
        return obj if isinstance(obj, str) else f"{obj.__module__}.{obj.__qualname__}"

    if a is b:
        return True
    try:
        return path(a) == path(b)
    except AttributeError:
        return False


def lookup(kind: Kind, key: str, where: str = "") -> Any:
    """The item ``key`` of ``kind``, scanning entry points only if it is not yet known."""
    manager = get_plugin_manager()
    table = collect_table(kind, manager)
    if key not in table.items and key not in table.conflicts and not manager.entry_points_loaded:
        manager.load_entry_points()
        table = collect_table(kind, manager)
    if key in table.conflicts:
        raise _conflict_error(kind, key, table.conflicts[key])
    if key not in table.items:
        raise PluginError(_unknown_message(kind, key, where, table, manager))
    plugin, item = table.items[key]
    if isinstance(item, str):
        item = _import_path(item, kind, key)
        table.items[key] = (plugin, item)
    return item


def list_items(kind: Kind) -> dict[str, Any]:
    """Every key of ``kind`` from every plugin (entry points are loaded first)."""
    manager = get_plugin_manager()
    manager.load_entry_points()
    table = collect_table(kind, manager)
    if table.conflicts:
        key, plugins = next(iter(table.conflicts.items()))
        raise _conflict_error(kind, key, plugins)
    return {key: lookup(kind, key) for key in table.items}


def hook_failures(kind: Kind) -> dict[str, BaseException]:
    """Plugins whose ``kind`` hook raised when last called (for ``redun plugins``)."""
    return dict(collect_table(kind, get_plugin_manager()).failures)


def _import_path(path: str, kind: Kind, key: str) -> Any:
    module_name, _, attr = path.rpartition(".")
    try:
        return getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise PluginError(
            f"cannot import {path} registered as {kind.label} '{key}': {describe_error(exc)}"
        ) from exc


def _conflict_error(kind: Kind, key: str, plugins: list[str]) -> PluginError:
    names = " and ".join(f"'{name}'" for name in plugins)
    disable = ",".join(name for name in plugins if name not in ("builtin", EXTRA_SOURCE))
    fix = f"; uninstall one or set REDUN_DISABLE_PLUGINS={disable}" if disable else ""
    return PluginError(f"{kind.label} '{key}' is provided by both plugins {names}{fix}")


def _unknown_message(kind: Kind, key: str, where: str, table: Table, manager: PluginManager) -> str:
    available = ", ".join(sorted(table.items)) or "none"
    message = (
        f"unknown {kind.label} '{key}'{f' in {where}' if where else ''}: available: {available}"
    )
    package = package_for(kind.hook, key)

    def relevant(name: str) -> bool:
        # With a known provider, only its plugin matters; otherwise any plugin might.
        return package is None or _provided_by(manager, name, package)

    failures = dict(table.failures)
    failures.update((name, exc) for name, exc in manager.failures.items() if relevant(name))
    notes = [
        f"plugin '{name}' failed to load: {describe_error(exc)}" for name, exc in failures.items()
    ]
    disabled = [name for name in sorted(manager.disabled) if relevant(name)]
    if disabled:
        names = ", ".join(f"'{name}'" for name in disabled)
        verb = "is" if len(disabled) == 1 else "are"
        plural = "" if len(disabled) == 1 else "s"
        notes.append(f"plugin{plural} {names} {verb} disabled by {DISABLE_PLUGINS_ENV}")
    autoload_note = f"installed plugins are not loaded while {DISABLE_AUTOLOAD_ENV} is set"
    if package and not notes:
        notes.append(f"install {package}")
        if manager.autoload_disabled:
            notes[-1] += f" ({autoload_note})"
    elif manager.autoload_disabled:
        notes.append(autoload_note)
    return "; ".join([message, *notes])


def _provided_by(manager: PluginManager, name: str, package: str) -> bool:
    source = manager.sources.get(name)
    distribution = source.distribution if source is not None else None
    return package in (distribution, f"redun-{name}")


def get_executor_class(
    executor_type: str, where: str = "", required: bool = True
) -> type[Any] | None:
    """The executor class for a ``type =`` value; ``where`` names the config section.

    An unknown type raises ``PluginError``, or returns ``None`` when not ``required``
    (upstream's ``redun.executors.base.get_executor_class`` is this function).
    """
    try:
        return lookup(EXECUTORS, executor_type, where)
    except PluginError:
        if required:
            raise
        return None


def get_backend_class(scheme: str, where: str = "") -> type[Any]:
    """The backend class for a ``db_uri`` scheme; ``postgresql+psycopg2`` falls back to
    ``postgresql``."""
    known = collect_table(BACKENDS, get_plugin_manager()).items
    return lookup(BACKENDS, scheme if scheme in known else scheme.split("+", 1)[0], where)


def get_filesystem_class(scheme: str, where: str = "") -> type[Any]:
    """The file system class serving URL ``scheme``."""
    return lookup(FILESYSTEMS, scheme, where)


def get_value_types() -> list[type[Any]]:
    """Every value type plugins provide, keyed uniquely by ``type_name``."""
    return list(list_items(VALUE_TYPES).values())


def get_value_type(type_name: str) -> type[Any]:
    """The value class a plugin provides for the persisted ``type_name``."""
    return lookup(VALUE_TYPES, type_name)


def get_cli_commands() -> list[Any]:
    """Every click command plugins add to ``redun``, keyed uniquely by name."""
    return list(list_items(CLI_COMMANDS).values())
