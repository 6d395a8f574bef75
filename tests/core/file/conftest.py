from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from redun.plugins.manager import PluginManager, get_plugin_manager, reset_plugin_manager


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """An empty current directory, so tests can use short relative paths."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def make_file() -> Callable[..., str]:
    """Write ``content`` to ``path`` (creating parents), optionally with a fixed mtime."""

    def make(path: str, content: str = "", mtime_ns: int | None = None) -> str:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "w") as out:
            out.write(content)
        if mtime_ns is not None:
            os.utime(path, ns=(mtime_ns, mtime_ns))
        return path

    return make


@pytest.fixture
def plugin_manager(monkeypatch) -> Iterator[PluginManager]:
    """A fresh plugin manager with built-ins only and no entry points scanned."""
    monkeypatch.delenv("REDUN_DISABLE_PLUGINS", raising=False)
    monkeypatch.setenv("REDUN_DISABLE_PLUGIN_AUTOLOAD", "1")
    reset_plugin_manager()
    yield get_plugin_manager()
    reset_plugin_manager()
