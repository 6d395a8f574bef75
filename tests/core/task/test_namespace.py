"""Task namespaces (redun/task/namespace.py): explicit, the module's ``redun_namespace``,
or the one set by ``namespace()``; the explicit one wins."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator

import pytest
from redun import namespace, task
from redun.task.namespace import compute_namespace, get_current_namespace


@pytest.fixture
def no_namespace() -> Iterator[None]:
    """Leave the process-wide namespace as this test found it."""
    before = get_current_namespace()
    yield
    namespace(before or None)


def module_with(namespace_name: str | None) -> types.ModuleType:
    module = types.ModuleType("test_namespace_module")
    if namespace_name is not None:
        module.redun_namespace = namespace_name
    sys.modules[module.__name__] = module
    return module


def function_of(module: types.ModuleType):
    def step() -> int:
        return 1

    step.__module__ = module.__name__
    return step


def test_the_modules_redun_namespace_names_its_tasks(no_namespace) -> None:
    step = function_of(module_with("from_module"))

    assert compute_namespace(step) == "from_module"
    assert compute_namespace(step, "explicit") == "explicit"


def test_namespace_applies_to_tasks_defined_after_it_until_unset(no_namespace) -> None:
    step = function_of(module_with(None))

    namespace("global_ns")
    assert compute_namespace(step) == "global_ns"
    assert task(name="after_namespace", version="1")(step).fullname == "global_ns.after_namespace"
    namespace()
    assert compute_namespace(step) == ""


def test_the_modules_namespace_beats_the_global_one(no_namespace) -> None:
    namespace("global_ns")

    assert compute_namespace(function_of(module_with("from_module"))) == "from_module"
