"""``redun plugins``: the human listing, ``--all`` and ``--json``."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from redun import __version__
from redun.cli.main import cli

EXECUTOR_PLUGIN = """
from redun.executors.base import Executor
from redun.plugins import hookimpl

class EchoExecutor(Executor):
    executor_type = "echo_local"

    def submit(self, job):
        pass

@hookimpl
def redun_executors():
    return [EchoExecutor]
"""


def redun_plugins(*args: str) -> str:
    result = CliRunner().invoke(cli, ["plugins", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_lists_each_plugin_with_status_and_what_it_provides(plugin_manager, entry_points):
    entry_points(echo=EXECUTOR_PLUGIN, broken=None, idle="")

    assert redun_plugins().splitlines() == [
        "echo (fake_redun_plugin_echo): ok",
        "  executors: echo_local",
        "broken (fake_redun_plugin_broken): failed: ModuleNotFoundError: No module named "
        "'fake_redun_plugin_broken'",
        "idle (fake_redun_plugin_idle): ok",
        "  provides nothing",
    ]


def test_all_adds_core_builtins(plugin_manager, entry_points):
    entry_points()

    lines = redun_plugins("--all").splitlines()

    assert lines[:4] == [
        f"builtin (redun-core {__version__}): ok",
        "  executors: alias, local",
        "  file systems: file, http, https, local",
        "  backends: sqlite",
    ]
    assert lines[4].startswith("  value types: builtins.bool, ")
    assert all(len(line) <= 100 for line in lines)


def test_no_plugins_says_so(plugin_manager, entry_points):
    entry_points()

    assert redun_plugins() == (
        "No redun plugins installed (redun plugins --all also lists core's parts).\n"
    )


def test_autoload_off_is_explained(plugin_manager, monkeypatch):
    monkeypatch.setenv("REDUN_DISABLE_PLUGIN_AUTOLOAD", "1")

    assert (
        redun_plugins()
        == "REDUN_DISABLE_PLUGIN_AUTOLOAD is set: installed plugins are not loaded.\n"
    )


@pytest.mark.parametrize("args", [["--json"], ["--json", "--all"]])
def test_json_is_a_list_of_records(plugin_manager, entry_points, args):
    entry_points(echo=EXECUTOR_PLUGIN, broken=None)

    records = {record["name"]: record for record in json.loads(redun_plugins(*args))}

    assert ("builtin" in records) == ("--all" in args)
    assert records["echo"]["status"] == "ok"
    assert records["echo"]["provides"]["executors"] == ["echo_local"]
    assert records["broken"]["status"] == "failed"
    assert records["broken"]["error"].startswith("ModuleNotFoundError: ")
