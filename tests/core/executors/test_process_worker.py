"""The process-mode protocol, run in this process: finding modules and tasks, and
carrying results and errors back as bytes."""

from __future__ import annotations

import sys
import types

import pytest
from redun.errors import ExecutorError
from redun.executors.process_worker import (
    import_task_module,
    make_payload,
    read_result,
    resolve_task,
    run_payload,
)


def double(x: int) -> int:
    return 2 * x


class Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("no pickling")


def raise_unpicklable() -> None:
    raise Unpicklable("bad")


def test_a_payload_round_trip_returns_the_result(make_job) -> None:
    job = make_job(double, 4)

    assert read_result(run_payload(make_payload(job.task, job.args, job.kwargs))) == (
        True,
        8,
        None,
    )


def test_an_unpicklable_exception_still_comes_back(make_job) -> None:
    job = make_job(raise_unpicklable)

    ok, error, lines = read_result(run_payload(make_payload(job.task, (), {})))

    assert ok is False
    assert isinstance(error, ExecutorError)
    assert str(error) == "Unpicklable: bad (the exception itself could not be pickled)"
    assert "Unpicklable: bad" in lines[-1]


def test_tasks_are_found_in_the_task_registry_first(monkeypatch) -> None:
    registered = types.SimpleNamespace(func=double, fullname="ns.double")

    class Registry:
        def get(self, name):
            return registered if name == "ns.double" else None

    standin = types.ModuleType("redun.task")
    standin.get_task_registry = Registry
    monkeypatch.setitem(sys.modules, "redun.task", standin)

    assert resolve_task("ns.double", sys.modules[__name__], "something_else") is registered


def test_a_missing_task_is_a_clear_error(monkeypatch) -> None:
    module = types.ModuleType("empty_workflow")

    with pytest.raises(ExecutorError) as info:
        resolve_task("ns.gone", module, "gone")

    assert str(info.value) == (
        "task 'ns.gone' not found in the worker process after importing empty_workflow; "
        "define tasks at module level so a fresh process can import them"
    )


def test_a_script_is_loaded_from_its_path_when_its_name_leads_elsewhere(
    tmp_path, monkeypatch
) -> None:
    # "json" is importable, but the task came from a script that the parent named json.
    script = tmp_path / "json.py"
    script.write_text("VALUE = 'from the script'\n")
    monkeypatch.delitem(sys.modules, "json_script_test", raising=False)

    module = import_task_module("json_script_test", str(script))
    assert module.VALUE == "from the script"
    monkeypatch.delitem(sys.modules, "json_script_test")

    real_json = sys.modules.pop("json")
    try:
        shadow = import_task_module("json", str(script))
        assert shadow.VALUE == "from the script"
    finally:
        sys.modules["json"] = real_json
