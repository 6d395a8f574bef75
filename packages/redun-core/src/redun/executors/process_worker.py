"""Running one task in a worker process: the protocol of the local executor's process mode.

The parent sends a payload naming the task (fullname, defining module and its file,
``sys.path``) plus its cloudpickled arguments; the worker imports the module, finds the
task in its own registry and runs it. The module is imported *before* the arguments are
unpickled, because cloudpickle refers to classes of an importable module by name and a
script loaded by ``redun run path.py`` is only importable once loaded from its path.
The worker never raises: results and exceptions (with their formatted traceback) travel
back as cloudpickled bytes.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import inspect
import os
import pickle
import sys
import traceback
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import cloudpickle

from redun.errors import ExecutorError

MAIN_ALIAS = "__redun_main__"  # name a worker gives the parent's __main__ script


@dataclass(frozen=True)
class TaskCall:
    """What a worker needs to find and run one task."""

    task_fullname: str
    module_name: str | None
    module_path: str | None
    func_qualname: str | None
    sys_path: tuple[str, ...]
    script: bool
    arguments: bytes  # cloudpickled (args, kwargs)


def make_payload(task: Any, args: tuple, kwargs: dict, script: bool = False) -> bytes:
    """Describe a call of ``task`` for :func:`run_payload` (runs in the parent)."""
    func = getattr(task, "func", task)
    module_name = getattr(task, "load_module", None) or getattr(func, "__module__", None)
    module = sys.modules.get(module_name) if module_name else None
    module_path = getattr(module, "__file__", None)
    call = TaskCall(
        task_fullname=getattr(task, "fullname", getattr(func, "__qualname__", "")),
        module_name=module_name,
        module_path=os.path.abspath(module_path) if module_path else None,
        func_qualname=getattr(func, "__qualname__", None),
        sys_path=tuple(sys.path),
        script=script,
        arguments=cloudpickle.dumps((tuple(args), dict(kwargs))),
    )
    return pickle.dumps(call)


def run_payload(payload: bytes) -> bytes:
    """Run the task a payload describes; return ``("ok", result)`` or ``("error", exc,
    formatted_traceback)``, cloudpickled (runs in the worker)."""
    try:
        call: TaskCall = pickle.loads(payload)
        for entry in reversed(call.sys_path):
            if entry not in sys.path:
                sys.path.insert(0, entry)
        module = import_task_module(call.module_name, call.module_path)
        task = resolve_task(call.task_fullname, module, call.func_qualname)
        args, kwargs = cloudpickle.loads(call.arguments)
        result = _run(task, args, kwargs, call.script)
        return cloudpickle.dumps(("ok", result))
    except BaseException as error:  # every failure must reach the parent as data
        return _pack_error(error)


def read_result(data: bytes) -> tuple[bool, Any, list[str] | None]:
    """Decode :func:`run_payload`'s bytes into ``(ok, result_or_error, traceback_lines)``."""
    try:
        message = cloudpickle.loads(data)
    except Exception as exc:
        error = ExecutorError(f"cannot unpickle a process worker's reply: {exc}")
        return False, error, None
    if message[0] == "ok":
        return True, message[1], None
    return False, message[1], message[2]


def import_task_module(module_name: str | None, module_path: str | None) -> ModuleType | None:
    """Import the module defining a task, from its file when its name does not lead there.

    A script run as ``redun run workflow.py`` is registered in the parent as module
    ``workflow`` but may not be importable by that name in the worker (another working
    directory, or a same-named package elsewhere on ``sys.path``).
    """
    if not module_name:
        return None
    if module_name == "__main__":
        main = sys.modules.get("__main__")
        if module_path and getattr(main, "__file__", None) != module_path:
            return sys.modules.get(MAIN_ALIAS) or _load_from_path(MAIN_ALIAS, module_path)
        return main
    if module_name in sys.modules:
        return sys.modules[module_name]
    if module_path and not _importable_as(module_name, module_path):
        return _load_from_path(module_name, module_path)
    return importlib.import_module(module_name)


def _importable_as(module_name: str, module_path: str) -> bool:
    try:
        spec = importlib.util.find_spec(module_name)
    except (ImportError, ValueError):
        return False
    origin = getattr(spec, "origin", None)
    return bool(origin) and os.path.realpath(origin) == os.path.realpath(module_path)


def _load_from_path(module_name: str, module_path: str) -> ModuleType:
    locations = [os.path.dirname(module_path)] if module_path.endswith("__init__.py") else None
    spec = importlib.util.spec_from_file_location(
        module_name, module_path, submodule_search_locations=locations
    )
    if spec is None or spec.loader is None:
        raise ExecutorError(f"cannot import {module_path} as module '{module_name}'")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[module_name]
        raise
    return module


def resolve_task(fullname: str, module: ModuleType | None, func_qualname: str | None) -> Any:
    """Find a task in the worker: by fullname in the task registry, else by the
    qualified name of its function in its module (for tasks not in the registry)."""
    task = None
    try:
        from redun.task import get_task_registry
    except ImportError:
        pass
    else:
        task = get_task_registry().get(fullname)
    if task is None and module is not None and func_qualname:
        task = module
        for part in func_qualname.split("."):
            task = getattr(task, part, None)
    if task is None:
        where = f" after importing {module.__name__}" if module is not None else ""
        raise ExecutorError(
            f"task '{fullname}' not found in the worker process{where}; define tasks at "
            "module level so a fresh process can import them"
        )
    return task


def _run(task: Any, args: tuple, kwargs: dict, script: bool) -> Any:
    if script:
        from redun.scripting import exec_script, get_task_command

        return exec_script(get_task_command(task, args, kwargs))
    func = getattr(task, "func", task)
    result = func(*args, **kwargs)
    # A coroutine (an async task), not any awaitable: an expression a task returns is
    # awaitable too, and is the scheduler's to evaluate.
    if inspect.iscoroutine(result):
        return asyncio.run(_await(result))
    return result


async def _await(awaitable: Any) -> Any:
    return await awaitable


def _pack_error(error: BaseException) -> bytes:
    lines = traceback.format_exception(error)
    try:
        return cloudpickle.dumps(("error", error, lines))
    except Exception:
        substitute = ExecutorError(
            f"{type(error).__name__}: {error} (the exception itself could not be pickled)"
        )
        return cloudpickle.dumps(("error", substitute, lines))
