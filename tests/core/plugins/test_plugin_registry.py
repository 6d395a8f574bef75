"""Looking parts up by key: built-ins fast, entry points on a miss, clear errors."""

from __future__ import annotations

import importlib.metadata
import types

import click
import pytest
from redun.errors import PluginError
from redun.executors.alias import AliasExecutor
from redun.executors.base import Executor, get_executor_class, register_executor
from redun.executors.local import LocalExecutor
from redun.plugins import hookimpl
from redun.plugins.registry import (
    get_backend_class,
    get_cli_commands,
    get_filesystem_class,
    get_value_type,
    get_value_types,
)
from redun.plugins.registry import (
    get_executor_class as registry_get_executor_class,
)

EXECUTOR_PLUGIN = """
from redun.executors.base import Executor
from redun.plugins import hookimpl

class FakeExecutor(Executor):
    executor_type = "fake"

    def submit(self, job):
        pass

@hookimpl
def redun_executors():
    return [FakeExecutor]
"""


def make_plugin(**hooks) -> types.ModuleType:
    module = types.ModuleType("test_plugin")
    for name, value in hooks.items():

        def impl(value=value):
            if isinstance(value, Exception):
                raise value
            return value

        impl.__name__ = name
        setattr(module, name, hookimpl(impl))
    return module


class OtherLocal(Executor):
    executor_type = "local"

    def submit(self, job) -> None:
        pass


def no_entry_points(**kwargs):
    raise AssertionError("entry points were scanned")


def test_builtins_resolve_without_scanning_entry_points(plugin_manager, monkeypatch) -> None:
    monkeypatch.setattr(importlib.metadata, "entry_points", no_entry_points)

    assert registry_get_executor_class("local") is LocalExecutor
    assert registry_get_executor_class("alias") is AliasExecutor
    assert "sqlite" in get_backend_class("sqlite").schemes
    assert get_backend_class("sqlite+pysqlite") is get_backend_class("sqlite")
    assert plugin_manager.entry_points_loaded is False


def test_unknown_executor_names_section_available_types_and_package(
    plugin_manager, entry_points
) -> None:
    entry_points()

    with pytest.raises(PluginError) as info:
        registry_get_executor_class("aws_batch", where="[executors.batch]")

    assert str(info.value) == (
        "unknown executor type 'aws_batch' in [executors.batch]: available: alias, local; "
        "install redun-aws"
    )
    assert plugin_manager.entry_points_loaded is True


def test_unknown_backend_scheme_suggests_its_package(plugin_manager, entry_points) -> None:
    entry_points()

    with pytest.raises(PluginError, match=r"unknown database scheme 'postgresql'.*redun-postgres"):
        get_backend_class("postgresql")


def test_a_miss_loads_entry_points(plugin_manager, entry_points) -> None:
    entry_points(fake=EXECUTOR_PLUGIN)

    cls = registry_get_executor_class("fake")

    assert cls.__name__ == "FakeExecutor"
    assert plugin_manager.has_plugin("fake")


def test_a_broken_plugin_is_isolated_and_reported(plugin_manager, entry_points) -> None:
    entry_points(aws=None, fake=EXECUTOR_PLUGIN)

    assert registry_get_executor_class("fake").executor_type == "fake"
    assert isinstance(plugin_manager.failures["aws"], ModuleNotFoundError)
    with pytest.raises(PluginError) as info:
        registry_get_executor_class("aws_batch", where="[executors.batch]")
    assert str(info.value) == (
        "unknown executor type 'aws_batch' in [executors.batch]: available: alias, fake, local; "
        "plugin 'aws' failed to load: ModuleNotFoundError: No module named "
        "'fake_redun_plugin_aws'"
    )


def test_a_plugin_with_a_syntax_error_does_not_break_others(plugin_manager, entry_points) -> None:
    entry_points(broken="def oops(:\n", fake=EXECUTOR_PLUGIN)

    assert registry_get_executor_class("fake").executor_type == "fake"
    assert isinstance(plugin_manager.failures["broken"], SyntaxError)


def test_a_hook_that_raises_is_reported_and_the_rest_still_work(
    plugin_manager, entry_points
) -> None:
    entry_points()  # no installed plugin (a real redun-aws would also be named 'aws')
    plugin_manager.register(
        make_plugin(redun_executors=ImportError("No module named 'boto3'")), name="aws"
    )

    assert registry_get_executor_class("local") is LocalExecutor
    with pytest.raises(PluginError, match=r"plugin 'aws' failed to load: ImportError: No module"):
        registry_get_executor_class("aws_batch")


def test_duplicate_keys_name_both_plugins(plugin_manager) -> None:
    plugin_manager.register(make_plugin(redun_executors=[OtherLocal]), name="other")

    with pytest.raises(PluginError) as info:
        registry_get_executor_class("local")

    assert str(info.value) == (
        "executor type 'local' is provided by both plugins 'builtin' and 'other'; "
        "uninstall one or set REDUN_DISABLE_PLUGINS=other"
    )
    assert registry_get_executor_class("alias") is AliasExecutor


def test_a_class_without_its_key_is_a_plugin_failure(plugin_manager) -> None:
    plugin_manager.register(make_plugin(redun_executors=[object]), name="keyless")

    with pytest.raises(PluginError, match=r"plugin 'keyless' failed to load: PluginError: .*"):
        registry_get_executor_class("missing")


def test_disabled_plugins_are_not_loaded(plugin_manager, entry_points, monkeypatch) -> None:
    monkeypatch.setenv("REDUN_DISABLE_PLUGINS", "other, fake")
    entry_points(fake=EXECUTOR_PLUGIN)

    with pytest.raises(PluginError, match="unknown executor type 'fake'"):
        registry_get_executor_class("fake")
    assert plugin_manager.disabled == {"fake"}
    assert not plugin_manager.has_plugin("fake")
    # Blocked, not merely skipped: registering it by hand does nothing either.
    assert plugin_manager.register(make_plugin(redun_executors=[object]), name="fake") is None
    assert not plugin_manager.has_plugin("fake")


def test_autoload_can_be_turned_off(plugin_manager, monkeypatch) -> None:
    monkeypatch.setenv("REDUN_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.setattr(importlib.metadata, "entry_points", no_entry_points)

    with pytest.raises(PluginError, match="unknown executor type 'fake'"):
        registry_get_executor_class("fake")
    assert get_cli_commands() == []


def test_register_executor_adds_lazy_and_decorated_classes(plugin_manager) -> None:
    register_executor("lazy_local", "redun.executors.local.LocalExecutor")

    @register_executor("decorated")
    class Decorated(Executor):
        def submit(self, job) -> None:
            pass

    assert get_executor_class("lazy_local") is LocalExecutor
    assert get_executor_class("decorated") is Decorated
    assert get_executor_class("nothing", required=False) is None


def test_plugin_cli_commands_and_value_types_are_listed(plugin_manager, entry_points) -> None:
    entry_points()

    @click.command(name="hello")
    def hello() -> None:
        pass

    class Thing:
        type_name = "test.Thing"

    plugin_manager.register(
        make_plugin(redun_cli_commands=[hello], redun_value_types=[Thing]), name="extra"
    )

    assert get_cli_commands() == [hello]
    assert Thing in get_value_types()
    assert get_value_type("test.Thing") is Thing


def test_duplicate_cli_commands_are_an_error(plugin_manager, entry_points) -> None:
    entry_points()
    first, second = click.Command("hello"), click.Command("hello")
    plugin_manager.register(make_plugin(redun_cli_commands=[first]), name="one")
    plugin_manager.register(make_plugin(redun_cli_commands=[second]), name="two")

    with pytest.raises(PluginError, match="command 'hello' is provided by both plugins 'one'"):
        get_cli_commands()


def test_core_value_types_come_through_the_builtin_plugin(plugin_manager) -> None:
    from redun.file import File

    assert get_value_type("redun.File") is File


def test_a_plugin_reusing_a_core_type_name_is_a_conflict(plugin_manager) -> None:
    class MyFile:
        type_name = "redun.File"

    plugin_manager.register(make_plugin(redun_value_types=[MyFile]), name="files")

    with pytest.raises(PluginError, match="value type 'redun.File' is provided by both plugins"):
        get_value_type("redun.File")


@pytest.mark.parametrize(
    "lookup, key, package",
    [
        (get_filesystem_class, "s3", "redun-aws"),
        (get_value_type, "redun.ShardedS3Dataset", "redun-spark"),
        (get_backend_class, "postgresql+psycopg2", "redun-postgres"),
        (registry_get_executor_class, "aws_glue", "redun-spark"),
    ],
)
def test_unknown_names_say_which_package_provides_them(
    plugin_manager, entry_points, lookup, key, package
) -> None:
    entry_points()

    with pytest.raises(PluginError) as info:
        lookup(key)

    assert str(info.value).endswith(f"; install {package}")
    assert "available: " in str(info.value)


def test_an_unknown_name_without_a_known_provider_lists_what_is_available(
    plugin_manager, entry_points
) -> None:
    entry_points()

    with pytest.raises(PluginError) as info:
        get_filesystem_class("gopher")

    assert str(info.value) == (
        "unknown file system scheme 'gopher': available: file, http, https, local"
    )


def test_plugins_can_be_disabled_by_distribution_name(plugin_manager, monkeypatch) -> None:
    monkeypatch.setenv("REDUN_DISABLE_PLUGINS", "Redun_Fake")
    dist = types.SimpleNamespace(metadata={"Name": "redun-fake"}, version="1.0")
    entry_point = types.SimpleNamespace(name="fake", value="no_such_module", dist=dist)
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda **kwargs: [entry_point])

    with pytest.raises(PluginError) as info:
        registry_get_executor_class("fake_local")

    assert plugin_manager.disabled == {"fake"}
    assert plugin_manager.failures == {}
    assert str(info.value).endswith("; plugin 'fake' is disabled by REDUN_DISABLE_PLUGINS")


def test_a_disabled_plugin_and_a_failed_one_are_both_named(
    plugin_manager, entry_points, monkeypatch
) -> None:
    monkeypatch.setenv("REDUN_DISABLE_PLUGINS", "fake")
    entry_points(fake=EXECUTOR_PLUGIN, broken=None)

    with pytest.raises(PluginError) as info:
        registry_get_executor_class("fake")

    assert str(info.value) == (
        "unknown executor type 'fake': available: alias, local; plugin 'broken' failed to load: "
        "ModuleNotFoundError: No module named 'fake_redun_plugin_broken'; plugin 'fake' is "
        "disabled by REDUN_DISABLE_PLUGINS"
    )


def test_an_unknown_name_with_autoload_off_says_so(plugin_manager, monkeypatch) -> None:
    monkeypatch.setenv("REDUN_DISABLE_PLUGIN_AUTOLOAD", "true")
    monkeypatch.setattr(importlib.metadata, "entry_points", no_entry_points)

    with pytest.raises(PluginError) as known:
        registry_get_executor_class("aws_batch")
    with pytest.raises(PluginError) as unknown:
        registry_get_executor_class("mine")

    assert str(known.value).endswith(
        "; install redun-aws (installed plugins are not loaded while "
        "REDUN_DISABLE_PLUGIN_AUTOLOAD is set)"
    )
    assert str(unknown.value).endswith(
        "; installed plugins are not loaded while REDUN_DISABLE_PLUGIN_AUTOLOAD is set"
    )


@pytest.mark.parametrize("value", ["", "0", "false", "No"])
def test_autoload_stays_on_for_falsy_values(plugin_manager, entry_points, monkeypatch, value):
    monkeypatch.setenv("REDUN_DISABLE_PLUGIN_AUTOLOAD", value)
    entry_points(fake=EXECUTOR_PLUGIN)

    assert registry_get_executor_class("fake").executor_type == "fake"
