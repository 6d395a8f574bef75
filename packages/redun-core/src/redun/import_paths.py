"""Extra import paths a workflow added, so workers and remote jobs can add them too.

``redun run dir/wf.py`` puts ``dir`` first on ``sys.path``; a process worker or a
remote job re-importing the task's module needs the same paths, so they are kept here
in the order added (upstream keeps the same list, read with ``get_import_paths``).
"""

from __future__ import annotations

import os
import sys

_paths: list[str] = []


def add_import_path(path: str) -> None:
    """Put ``path`` first on ``sys.path`` (once) and remember it for workers."""
    path = os.path.abspath(path)
    if path in sys.path:
        sys.path.remove(path)
    sys.path.insert(0, path)
    if path not in _paths:
        _paths.append(path)


def get_import_paths() -> list[str]:
    """The paths added so far, oldest first."""
    return list(_paths)


def clear_import_paths() -> None:
    """Forget the added paths (they stay on ``sys.path``)."""
    _paths.clear()
