"""The tags an execution is recorded with, built in one place.

``Scheduler.run`` records redun.ini's ``[tags]`` and the caller's tags, as upstream's
does; ``redun run`` gives these defaults (version, git, ``--user``, ``--project``,
``--doc``) as the caller's tags.
"""

from __future__ import annotations

import os
from typing import Any

from redun._version import __version__


def default_execution_tags(
    user: str | None = None,
    project: str | None = None,
    doc: str | None = None,
    exclude_users: tuple[str, ...] = (),
    ask_git: bool = True,
) -> list[tuple[str, Any]]:
    """The tags every execution gets: version, git, user, project, doc.

    Git's commit and origin come from ``REDUN_GIT_COMMIT`` / ``REDUN_GIT_ORIGIN_URL``,
    else (with ``ask_git``) from the git work tree around the current directory. Cloud
    identities (``user_aws``, ``user_gcp``) are left to plugins, so ``exclude_users`` is
    accepted for compatibility and has nothing to exclude here.
    """
    tags: list[tuple[str, Any]] = [("redun.version", __version__)]
    commit = os.environ.get("REDUN_GIT_COMMIT") or (
        _git("rev-parse", "--verify", "HEAD") if ask_git else None
    )
    if commit:
        tags.append(("git_commit", commit))
    origin = os.environ.get("REDUN_GIT_ORIGIN_URL") or (
        _git("remote", "get-url", "origin") if ask_git else None
    )
    if origin:
        tags.append(("git_origin_url", origin))
    user = user or os.environ.get("REDUN_USER") or _login_name()
    if user:
        tags.append(("user", user))
    if project:
        tags.append(("project", project))
    if doc:
        tags.append(("doc", doc))
    return tags


def _login_name() -> str | None:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no login name in some containers
        return None


def _git(*args: str) -> str | None:
    if not _in_git_work_tree():
        return None  # no git process to start (and no subprocess to import)
    import subprocess

    try:
        completed = subprocess.run(
            ["git", *args], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return completed.stdout.strip() or None if completed.returncode == 0 else None


def _in_git_work_tree() -> bool:
    """Whether git could find a repository from here (``.git`` in this directory or an
    ancestor, or ``GIT_DIR`` set): outside one, no git process is started."""
    if os.environ.get("GIT_DIR"):
        return True
    path = os.path.abspath(os.getcwd())
    while True:
        if os.path.exists(os.path.join(path, ".git")):
            return True
        parent = os.path.dirname(path)
        if parent == path:
            return False
        path = parent
