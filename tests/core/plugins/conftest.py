from __future__ import annotations

import importlib.metadata
import sys
from collections.abc import Callable, Iterator

import pytest
from redun.plugins import registry
from redun.plugins.manager import PluginManager, get_plugin_manager, reset_plugin_manager


@pytest.fixture
def plugin_manager(monkeypatch) -> Iterator[PluginManager]:
    """A fresh process-wide plugin manager (built-ins only), discarded afterwards."""
    monkeypatch.delenv("REDUN_DISABLE_PLUGINS", raising=False)
    monkeypatch.delenv("REDUN_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    monkeypatch.setattr(registry, "_extra", {})  # forget register_executor() calls
    reset_plugin_manager()
    yield get_plugin_manager()
    reset_plugin_manager()


@pytest.fixture
def entry_points(
    monkeypatch, tmp_path
) -> Iterator[Callable[..., list[importlib.metadata.EntryPoint]]]:
    """Make ``importlib.metadata.entry_points(group="redun")`` return the given plugins.

    Each keyword is an entry point name; its value is a plugin module's source (written
    to a temp dir on sys.path) or None for a module that does not exist.
    """
    monkeypatch.syspath_prepend(str(tmp_path))
    calls: list[importlib.metadata.EntryPoint] = []

    def install(**plugins: str | None) -> list[importlib.metadata.EntryPoint]:
        for name, source in plugins.items():
            module = f"fake_redun_plugin_{name}"
            if source is not None:
                (tmp_path / f"{module}.py").write_text(source)
            calls.append(importlib.metadata.EntryPoint(name=name, value=module, group="redun"))

        def fake_entry_points(**kwargs: str) -> list[importlib.metadata.EntryPoint]:
            assert kwargs == {"group": "redun"}
            return list(calls)

        monkeypatch.setattr(importlib.metadata, "entry_points", fake_entry_points)
        return calls

    yield install
    for entry_point in calls:
        sys.modules.pop(entry_point.value, None)
