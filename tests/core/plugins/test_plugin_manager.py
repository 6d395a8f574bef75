"""The plugin manager: built-ins registered first, entry points loaded once, documented hooks."""

from __future__ import annotations

import importlib.metadata
import inspect

import pluggy
import redun.plugins
from redun.plugins import hookspecs
from redun.plugins.manager import get_plugin_manager

HOOKS = [
    "redun_executors",
    "redun_filesystems",
    "redun_backends",
    "redun_value_types",
    "redun_cli_commands",
]


def test_hookimpl_marks_functions_for_project_redun() -> None:
    assert isinstance(redun.plugins.hookimpl, pluggy.HookimplMarker)
    assert redun.plugins.hookimpl.project_name == "redun"


def test_every_hook_is_specified_and_documented() -> None:
    specs = [name for name, _ in inspect.getmembers(hookspecs) if name.startswith("redun_")]

    assert sorted(specs) == sorted(HOOKS)
    for name in specs:
        doc = inspect.getdoc(getattr(hookspecs, name)) or ""
        assert "Return" in doc and "Called" in doc, f"{name} lacks a plugin author docstring"


def test_the_builtin_plugin_is_registered_first(plugin_manager) -> None:
    assert plugin_manager is get_plugin_manager()
    assert plugin_manager.list_name_plugin()[0][0] == "builtin"
    assert plugin_manager.sources["builtin"].distribution == "redun-core"
    for hook in HOOKS:
        impls = getattr(plugin_manager.hook, hook).get_hookimpls()
        assert [impl.plugin_name for impl in impls] == ["builtin"]


def test_entry_points_load_once(plugin_manager, entry_points, monkeypatch) -> None:
    entry_points(fake="")
    calls = []
    scan = importlib.metadata.entry_points

    def counting(**kwargs):
        calls.append(kwargs)
        return scan(**kwargs)

    monkeypatch.setattr(importlib.metadata, "entry_points", counting)

    plugin_manager.load_entry_points()
    plugin_manager.load_entry_points()

    assert len(calls) == 1
    assert plugin_manager.has_plugin("fake")
    assert plugin_manager.sources["fake"].module == "fake_redun_plugin_fake"
    assert plugin_manager.failures == {}
