"""Extra import paths a workflow added, so workers and remote jobs can add them too.

``redun run dir/wf.py`` puts ``dir`` first on ``sys.path``; a process worker or a
remote job re-importing the task's module needs the same paths, so they are kept here.
As in upstream redun, the newest path comes first in both ``sys.path`` and
``get_import_paths()``, and paths are kept as given (``.`` is the current directory).
"""

from __future__ import annotations

import sys

_paths: list[str] = []


def add_import_path(path: str) -> None:
    """Put ``path`` first on ``sys.path`` and first among the remembered paths."""
    entry = "" if path == "." else path
    if entry in sys.path:
        sys.path.remove(entry)
    sys.path.insert(0, entry)
    if path in _paths:
        _paths.remove(path)
    _paths.insert(0, path)


def get_import_paths() -> list[str]:
    """The paths added so far, newest first."""
    return list(_paths)


def clear_import_paths() -> None:
    """Forget the added paths (they stay on ``sys.path``)."""
    _paths.clear()
