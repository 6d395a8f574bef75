"""Upstream's ``redun.cli`` functions for building a scheduler the way the CLI does.

Scripts and tests written for upstream call ``setup_scheduler(config_dir)`` or
``setup_config(config_dir)`` to get exactly what ``redun run`` would use.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from redun.config import Config
    from redun.scheduler import Scheduler


def setup_config(
    config_dir: str | None = None, repo: str = "default", initialize: bool = True
) -> Config:
    """The config ``redun`` commands use (``config_dir``, else ``$REDUN_CONFIG``/``.redun``)."""
    from redun.cli.state import _repo_config
    from redun.config import get_config_dir, load_config

    config = load_config(get_config_dir(config_dir), create=initialize)
    return _repo_config(config, repo) if repo != "default" else config


def setup_scheduler(
    config_dir: str | None = None,
    setup_args: Sequence[str] | None = None,
    repo: str = "default",
    migrate: bool | None = None,
    migrate_if_local: bool = False,
) -> Scheduler:
    """A loaded scheduler built as ``redun run`` builds it (``[scheduler] setup_scheduler``)."""
    from redun.cli.setup import build_scheduler

    config = setup_config(config_dir, repo=repo)
    scheduler = build_scheduler(config, tuple(setup_args or ()))
    db_uri = str((config.get("backend", {}) or {}).get("db_uri", "sqlite"))
    if migrate_if_local and db_uri.startswith("sqlite"):
        migrate = True
    scheduler.load(migrate=migrate)
    return scheduler


def parse_func_path(path: str) -> tuple[str, str]:
    """``"file_or_module::func"`` into its two parts."""
    where, sep, name = path.rpartition("::")
    if not sep or not where or not name:
        raise ValueError(f"Invalid function specification: '{path}'")
    return where, name


def get_user_setup_func(config: Config) -> Callable[..., Any]:
    """The ``[scheduler] setup_scheduler`` function, or one that builds from redun.ini."""
    from redun.cli.setup import load_setup_function
    from redun.scheduler.config import setup_scheduler as from_config

    return load_setup_function(config) or (lambda config: from_config(config))
