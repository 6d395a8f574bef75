"""list_plugins: what ``redun plugins`` shows."""

from __future__ import annotations

import types

from redun.plugins import hookimpl
from redun.plugins.listing import list_plugins

FS_PLUGIN = """
from redun.plugins import hookimpl

class MemoryFileSystem:
    schemes = ("mem", "memory")

@hookimpl
def redun_filesystems():
    return [MemoryFileSystem]
"""


def test_plugins_are_listed_with_status_and_what_they_provide(
    plugin_manager, entry_points, monkeypatch
) -> None:
    monkeypatch.setenv("REDUN_DISABLE_PLUGINS", "off")
    entry_points(mem=FS_PLUGIN, broken=None, off=FS_PLUGIN)

    infos = {info.name: info for info in list_plugins()}

    assert list(infos) == ["builtin", "mem", "broken", "off"]
    assert infos["builtin"].status == "ok"
    assert infos["builtin"].builtin
    assert infos["builtin"].provides["executors"] == ["alias", "local"]
    assert "redun.File" in infos["builtin"].provides["value types"]
    assert infos["mem"].status == "ok"
    assert infos["mem"].module == "fake_redun_plugin_mem"
    assert infos["mem"].provides == {"file systems": ["mem", "memory"]}
    assert infos["broken"].status == "failed"
    assert infos["broken"].error == (
        "ModuleNotFoundError: No module named 'fake_redun_plugin_broken'"
    )
    assert infos["off"].status == "disabled"
    assert infos["off"].provides == {}


def test_builtins_can_be_left_out(plugin_manager, entry_points) -> None:
    entry_points(mem=FS_PLUGIN)

    assert [info.name for info in list_plugins(include_builtin=False)] == ["mem"]


def test_a_hook_that_raises_marks_its_plugin_failed(plugin_manager, entry_points) -> None:
    entry_points()
    plugin = types.ModuleType("half_broken")

    @hookimpl
    def redun_executors():
        raise ImportError("No module named 'boto3'")

    plugin.redun_executors = redun_executors
    plugin_manager.register(plugin, name="half")

    info = {info.name: info for info in list_plugins()}["half"]

    assert info.status == "failed"
    assert info.error == "redun_executors() raised ImportError: No module named 'boto3'"


def test_conflicting_keys_are_marked_on_both_plugins(plugin_manager, entry_points) -> None:
    entry_points(one=FS_PLUGIN, two=FS_PLUGIN.replace("MemoryFileSystem", "OtherFileSystem"))

    infos = {info.name: info for info in list_plugins()}

    assert infos["one"].provides == {"file systems": ["mem (conflict)", "memory (conflict)"]}
    assert infos["two"].provides == infos["one"].provides


def test_json_records_have_every_kind(plugin_manager, entry_points) -> None:
    entry_points(mem=FS_PLUGIN)

    record = list_plugins(include_builtin=False)[0].to_dict()

    assert record == {
        "name": "mem",
        "distribution": None,
        "version": None,
        "module": "fake_redun_plugin_mem",
        "status": "ok",
        "error": None,
        "builtin": False,
        "provides": {
            "executors": [],
            "file_systems": ["mem", "memory"],
            "backends": [],
            "value_types": [],
            "commands": [],
        },
    }
