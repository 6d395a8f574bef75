"""What is installed, for ``redun plugins``: each plugin, where it came from, what it
provides and whether it loaded."""

from __future__ import annotations

from dataclasses import dataclass, field

from redun.plugins.manager import get_plugin_manager
from redun.plugins.registry import KINDS, Kind, collect_table


@dataclass
class PluginInfo:
    """One plugin as ``redun plugins`` shows it.

    ``status`` is ``"loaded"``, ``"disabled"`` or ``"failed: <error>"``; ``provides``
    maps a kind label (``"executor type"``) to the keys the plugin serves.
    """

    name: str
    module: str
    distribution: str | None
    version: str | None
    status: str
    provides: dict[str, list[str]] = field(default_factory=dict)


def list_plugins() -> list[PluginInfo]:
    """Every plugin known to the manager, loading entry points first; built-ins first."""
    manager = get_plugin_manager()
    manager.load_entry_points()
    infos: dict[str, PluginInfo] = {}
    for name, source in manager.sources.items():
        if name in manager.failures:
            status = f"failed: {_error_line(manager.failures[name])}"
        elif name in manager.disabled:
            status = "disabled"
        else:
            status = "loaded"
        infos[name] = PluginInfo(name, source.module, source.distribution, source.version, status)
    for kind in KINDS:
        _add_provides(infos, kind)
    return list(infos.values())


def _add_provides(infos: dict[str, PluginInfo], kind: Kind) -> None:
    table = collect_table(kind, get_plugin_manager())
    for key, (plugin, _) in table.items.items():
        if plugin in infos:
            infos[plugin].provides.setdefault(kind.label, []).append(key)
    for key, plugins in table.conflicts.items():
        for plugin in plugins:
            if plugin in infos:
                infos[plugin].provides.setdefault(kind.label, []).append(f"{key} (conflict)")
    for plugin, exc in table.failures.items():
        if plugin in infos and infos[plugin].status == "loaded":
            infos[plugin].status = f"failed: {kind.hook}(): {_error_line(exc)}"
    for info in infos.values():
        if kind.label in info.provides:
            info.provides[kind.label].sort()


def _error_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
