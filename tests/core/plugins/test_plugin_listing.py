"""list_plugins: what ``redun plugins`` shows."""

from __future__ import annotations

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

    assert list(infos)[0] == "builtin"
    assert infos["builtin"].status == "loaded"
    assert infos["builtin"].provides["executor type"] == ["alias", "local"]
    assert infos["mem"].status == "loaded"
    assert infos["mem"].provides == {"file system scheme": ["mem", "memory"]}
    assert infos["broken"].status == (
        "failed: ModuleNotFoundError: No module named 'fake_redun_plugin_broken'"
    )
    assert infos["off"].status == "disabled"
    assert infos["off"].provides == {}
