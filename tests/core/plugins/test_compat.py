"""Upstream import paths now served by plugins: ``redun.executors.aws_batch``, ``redun.glue``."""

from __future__ import annotations

import importlib
import sys
import types

import pytest


@pytest.fixture
def plugin_modules(monkeypatch):
    """Install fake plugin modules in sys.modules (None makes an import fail as missing)."""

    def install(**modules: types.ModuleType | None) -> None:
        for name, module in modules.items():
            name = name.replace("__", ".")
            if module is None:
                # An installed plugin's submodules, once imported, would still resolve.
                for loaded in [key for key in sys.modules if key.startswith(f"{name}.")]:
                    monkeypatch.delitem(sys.modules, loaded)
            monkeypatch.setitem(sys.modules, name, module)

    return install


def module(name: str, **attrs) -> types.ModuleType:
    mod = types.ModuleType(name)
    mod.__dict__.update(attrs)
    return mod


def test_the_shim_modules_import_without_their_plugins(plugin_modules) -> None:
    plugin_modules(redun_aws=None, redun_spark=None)

    for name in ("redun.executors.aws_batch", "redun.glue"):
        assert importlib.import_module(name).__name__ == name


@pytest.mark.parametrize(
    "shim, attr, package",
    [
        ("redun.executors.aws_batch", "AWSBatchExecutor", "redun-aws"),
        ("redun.glue", "get_spark_context", "redun-spark"),
    ],
)
def test_a_missing_plugin_is_an_import_error_naming_the_package(
    plugin_modules, shim, attr, package
) -> None:
    plugin_modules(redun_aws=None, redun_spark=None)

    with pytest.raises(ImportError) as info:
        exec(f"from {shim} import {attr}", {})

    assert str(info.value) == f"{shim} is provided by {package}: pip install {package}"


def test_names_resolve_to_the_plugin(plugin_modules) -> None:
    executor = type("AWSBatchExecutor", (), {})
    plugin_modules(
        redun_aws=module("redun_aws"),
        redun_aws__batch=module("redun_aws.batch", submit_task=print),
        redun_aws__batch__executor=module("redun_aws.batch.executor", AWSBatchExecutor=executor),
        redun_spark=module("redun_spark"),
        redun_spark__glue=module("redun_spark.glue", get_spark_context=len),
    )
    from redun import glue
    from redun.executors import aws_batch

    assert aws_batch.AWSBatchExecutor is executor
    assert aws_batch.submit_task is print  # helpers may live in the package itself
    assert glue.get_spark_context is len


def test_later_modules_are_tried_when_an_earlier_one_is_absent(plugin_modules) -> None:
    plugin_modules(
        redun_aws=module("redun_aws"),
        redun_aws__batch=module("redun_aws.batch", submit_task=print),
        redun_aws__batch__executor=None,
    )
    from redun.executors import aws_batch

    assert aws_batch.submit_task is print


def test_a_plugin_that_fails_to_import_is_not_called_missing(tmp_path, monkeypatch) -> None:
    package = tmp_path / "redun_spark"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "glue.py").write_text("import redun_test_missing_dependency\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("redun_spark", "redun_spark.glue"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    from redun import glue

    try:
        with pytest.raises(ImportError) as info:
            _ = glue.udf
    finally:
        for name in ("redun_spark", "redun_spark.glue"):
            sys.modules.pop(name, None)

    assert str(info.value) == (
        "redun.glue is provided by redun-spark, which failed to import: ModuleNotFoundError: "
        "No module named 'redun_test_missing_dependency'"
    )


def test_a_name_the_plugin_lacks_is_an_attribute_error(plugin_modules) -> None:
    plugin_modules(
        redun_aws=module("redun_aws"),
        redun_aws__batch=module("redun_aws.batch"),
        redun_aws__batch__executor=module("redun_aws.batch.executor"),
    )
    from redun.executors import aws_batch

    with pytest.raises(AttributeError, match="redun-aws does not provide it"):
        _ = aws_batch.no_such_name


def test_dunder_probes_see_a_plain_attribute_error(plugin_modules) -> None:
    plugin_modules(redun_aws=None)
    from redun.executors import aws_batch

    assert not hasattr(aws_batch, "__path__")
    assert not hasattr(aws_batch, "__wrapped__")
