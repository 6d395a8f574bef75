"""What is installed, for ``redun plugins``: each plugin, where it came from, what it
provides and whether it loaded.

Listing is the one place that must see everything, so it loads every entry point and
calls every hook; a plugin whose import or hook fails is still listed, with the error
as its status, because "why is my executor missing?" is the question this answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from redun.plugins.manager import BUILTIN_PLUGIN_NAME, describe_error, get_plugin_manager
from redun.plugins.registry import KINDS, Kind, collect_table

STATUS_OK = "ok"
STATUS_DISABLED = "disabled"
STATUS_FAILED = "failed"


@dataclass
class PluginInfo:
    """One plugin as ``redun plugins`` shows it.

    Attributes
    ----------
    name : str
        The entry point name (``aws``), or ``builtin`` for core's own parts.
    module : str
        The module the entry point names.
    distribution, version : str or None
        The installed distribution that declared the entry point.
    status : str
        ``"ok"``, ``"disabled"`` (by ``REDUN_DISABLE_PLUGINS``) or ``"failed"``.
    error : str or None
        Why a failed plugin failed, as ``"ExceptionType: first line"``; a hook that
        raised is named (``"redun_executors() raised ImportError: ..."``).
    provides : dict[str, list[str]]
        Kind (``"executors"``, ``"file systems"``, ...) -> the sorted keys it serves.
    builtin : bool
        Whether this is core's built-in plugin (shown by ``redun plugins --all``).
    """

    name: str
    module: str
    distribution: str | None
    version: str | None
    status: str
    error: str | None = None
    provides: dict[str, list[str]] = field(default_factory=dict)
    builtin: bool = False

    @property
    def ok(self) -> bool:
        """Whether the plugin loaded and every hook it implements answered."""
        return self.status == STATUS_OK

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record; every kind is present, empty when nothing is provided."""
        return {
            "name": self.name,
            "distribution": self.distribution,
            "version": self.version,
            "module": self.module,
            "status": self.status,
            "error": self.error,
            "builtin": self.builtin,
            "provides": {kind.field: self.provides.get(kind.plural, []) for kind in KINDS},
        }


def list_plugins(include_builtin: bool = True) -> list[PluginInfo]:
    """Every plugin known to the manager, loading entry points first; built-ins first.

    Parameters
    ----------
    include_builtin : bool
        Whether to include core's built-in plugin, which users rarely need to see.
    """
    manager = get_plugin_manager()
    manager.load_entry_points()
    infos: dict[str, PluginInfo] = {}
    for name, source in manager.sources.items():
        failure = manager.failures.get(name)
        if failure is not None:
            status, error = STATUS_FAILED, describe_error(failure)
        else:
            status, error = (STATUS_DISABLED if name in manager.disabled else STATUS_OK), None
        infos[name] = PluginInfo(
            name,
            source.module,
            source.distribution,
            source.version,
            status,
            error,
            builtin=name == BUILTIN_PLUGIN_NAME,
        )
    for kind in KINDS:
        _add_provides(infos, kind)
    return [info for info in infos.values() if include_builtin or not info.builtin]


def _add_provides(infos: dict[str, PluginInfo], kind: Kind) -> None:
    table = collect_table(kind, get_plugin_manager())
    for key, (plugin, _) in table.items.items():
        if plugin in infos:
            infos[plugin].provides.setdefault(kind.plural, []).append(key)
    for key, plugins in table.conflicts.items():
        for plugin in plugins:
            if plugin in infos:
                infos[plugin].provides.setdefault(kind.plural, []).append(f"{key} (conflict)")
    for plugin, exc in table.failures.items():
        if plugin in infos and infos[plugin].ok:
            infos[plugin].status = STATUS_FAILED
            infos[plugin].error = f"{kind.hook}() raised {describe_error(exc)}"
    for info in infos.values():
        if kind.plural in info.provides:
            info.provides[kind.plural].sort()
