"""Import the workflow a command names (a file path or a module) and find its tasks.

``redun run hello.py main`` and ``redun run pkg.workflows main`` both need the module
imported so its ``@task`` definitions register. A script is imported under the module
name its file name gives (``hello``), with its directory first on ``sys.path``: sibling
modules then import as they would under ``python hello.py``, and process-mode workers
(which re-import a task's module by name) find the same file.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import sys
from types import ModuleType
from typing import TYPE_CHECKING

from redun.errors import RedunError, TaskNotFoundError, UsageError
from redun.import_paths import add_import_path

if TYPE_CHECKING:
    from redun.task import Task

logger = logging.getLogger("redun")


class ScriptImportError(RedunError):
    """The workflow script exists but raised while being imported."""


def is_script_path(script: str) -> bool:
    """Whether ``script`` names a file rather than a dotted module.

    A ``.py`` suffix or a path separator means a file: module names never contain
    either, and upstream redun draws the same line at ``.py``.
    """
    return script.endswith(".py") or os.sep in script or "/" in script


def import_script(script: str) -> ModuleType:
    """Import the workflow ``script`` (a file path or a dotted module name).

    Parameters
    ----------
    script : str
        ``hello.py``, ``dir/wf.py`` or ``pkg.workflows``.

    Returns
    -------
    ModuleType
        The imported module; its tasks are now in the task registry.

    Raises
    ------
    UsageError
        When the file or module does not exist.
    ScriptImportError
        When importing the script raised; the message keeps the original error's type
        and text on one line (the full traceback is logged at DEBUG).
    """
    if is_script_path(script):
        return _import_path(script)
    return _import_module(script)


def _import_path(script: str) -> ModuleType:
    path = os.path.realpath(script)
    if not os.path.isfile(path):
        raise UsageError(f"workflow script '{script}' not found")
    module_name = os.path.splitext(os.path.basename(path))[0]
    add_import_path(os.path.dirname(path))

    existing = sys.modules.get(module_name)
    if existing is not None:
        if _is_current(existing, path):
            return existing
        if "__redun_mtime__" not in existing.__dict__:
            # Replacing e.g. the stdlib's `json` with a script named json.py breaks everything.
            where = getattr(existing, "__file__", None) or "built in"
            raise UsageError(
                f"workflow script '{script}' has the module name '{module_name}' of an "
                f"already imported module ({where}): rename the script"
            )

    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise UsageError(f"cannot import '{script}': not a Python source file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException as exc:
        # A half-initialised module must not be found by later imports.
        if sys.modules.get(module_name) is module:
            if existing is not None:
                sys.modules[module_name] = existing
            else:
                del sys.modules[module_name]
        if isinstance(exc, Exception):
            raise _import_failure(script, exc) from exc
        raise
    module.__dict__["__redun_mtime__"] = os.stat(path).st_mtime_ns
    return module


def _is_current(module: ModuleType, path: str) -> bool:
    """Whether ``module`` was loaded from ``path`` and the file has not changed since."""
    filename = getattr(module, "__file__", None)
    if not filename or os.path.realpath(filename) != path:
        return False
    loaded_mtime = module.__dict__.get("__redun_mtime__")
    # Modules imported the ordinary way (no stamp) are trusted as current.
    return loaded_mtime is None or loaded_mtime == os.stat(path).st_mtime_ns


def _import_module(name: str) -> ModuleType:
    # `redun run pkg.wf task` from a project root should find `pkg` there, as upstream does.
    add_import_path(os.getcwd())
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and (name == exc.name or name.startswith(exc.name + ".")):
            raise UsageError(
                f"workflow module '{name}' not found (give a path like '{name}.py' or "
                "a module importable from the current directory)"
            ) from exc
        raise _import_failure(name, exc) from exc
    except Exception as exc:
        raise _import_failure(name, exc) from exc


def _import_failure(script: str, exc: Exception) -> ScriptImportError:
    logger.debug("Importing %s failed", script, exc_info=exc)
    detail = " ".join(str(exc).split())
    return ScriptImportError(f"cannot import '{script}': {type(exc).__name__}: {detail}")


def find_task(module: ModuleType, name: str, script: str) -> Task:
    """The task ``name`` names, preferring tasks defined in the imported ``module``.

    ``name`` may be a fullname (``hello.main``) or a short name (``main``). A short name
    resolves first among the module's own tasks (so a library task of the same name
    cannot shadow the script's), then through the module's ``redun_namespace``, then
    as an exact fullname, as upstream does: never by short name among every registered
    task, where a library's (or a test's) task of that name would be run instead of
    reporting the unknown name.

    Raises
    ------
    TaskNotFoundError
        When nothing matches (the message lists the module's tasks), or when a short
        name matches several tasks (the message lists their fullnames).
    """
    from redun.task import get_task_registry

    registry = get_task_registry()
    if "." in name:
        task = registry.get(name)
        if task is not None:
            return task

    own = [task for task in registry if _defined_in(task, module)]
    candidates = [task for task in own if task.name == name]
    if not candidates:
        namespace = getattr(module, "redun_namespace", None)
        task = registry.get(f"{namespace}.{name}") if namespace else None
        task = task or registry.get(name)
        if task is not None:
            return task
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        names = ", ".join(sorted(task.fullname for task in candidates))
        raise TaskNotFoundError(f"task name '{name}' is ambiguous ({names}): use a fullname")
    listed = _list_names(list_tasks(module))
    raise TaskNotFoundError(f"unknown task '{name}' in {script} (tasks: {listed})")


def list_tasks(module: ModuleType) -> list[Task]:
    """The tasks a script offers: its own, else every non-builtin registered task."""
    from redun.task import get_task_registry

    tasks = list(get_task_registry())
    own = [task for task in tasks if _defined_in(task, module)]
    return own or [task for task in tasks if task.namespace != "redun"]


def _defined_in(task: Task, module: ModuleType) -> bool:
    return getattr(task.func, "__module__", None) == module.__name__


def _list_names(tasks: list[Task], limit: int = 20) -> str:
    names = [task.fullname for task in tasks]
    if not names:
        return "none registered"
    if len(names) > limit:
        return ", ".join(names[:limit]) + f", ... ({len(names) - limit} more)"
    return ", ".join(names)
