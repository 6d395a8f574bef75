"""Checks on the registered tasks before a run, reported as warnings.

Upstream redun warns at the start of every run about tasks without a namespace
(namespaces will become required); ``[scheduler] ignore_warnings = namespace`` in
redun.ini silences it. The same warning, and the same switch, are kept here so a
project moving between engines sees the same advice.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any


def ignore_warnings_from_config(scheduler_section: Mapping[str, Any]) -> set[str]:
    """The warning names listed (whitespace-separated) in ``[scheduler] ignore_warnings``."""
    text = scheduler_section.get("ignore_warnings") or ""
    return set(str(text).split())


def warn_tasks_without_namespace(tasks: Iterable[Any], ignore: set[str], logger: Any) -> None:
    """Log one warning naming every task (``file.py:function``) that has no namespace."""
    if "namespace" in ignore:
        return
    names = [
        f"{os.path.basename(task.func.__code__.co_filename)}:{task.func.__name__}"
        for task in tasks
        if not task.namespace and hasattr(getattr(task, "func", None), "__code__")
    ]
    if names:
        logger.warning(
            "Tasks will require namespace soon. Either set namespace in the `@task` "
            "decorator or with the module-level variable `redun_namespace`.\n"
            f"tasks needing namespace: {', '.join(names)}"
        )
