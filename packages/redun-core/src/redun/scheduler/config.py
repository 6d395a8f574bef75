"""Building a scheduler's parts from a Config: backend, executors, a run's context."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from redun.errors import ConfigError, ConflictingContextConfig

if TYPE_CHECKING:
    from redun.backends.base import RedunBackend
    from redun.config import Config
    from redun.executors.base import Executor
    from redun.scheduler.scheduler import Scheduler

DEFAULT_DB_URI = "sqlite:///:memory:"


def _section(config: Any, name: str) -> dict:
    if config is None:
        return {}
    try:
        section = config.get(name, {})
    except AttributeError:
        return {}
    return dict(section) if section else {}


def get_backend_from_config(config: Config | dict | None = None) -> RedunBackend:
    """The backend named by ``[backend] db_uri`` (in-memory SQLite by default)."""
    backend_config = _section(config, "backend")
    db_uri = backend_config.get("db_uri", DEFAULT_DB_URI)
    scheme = urlsplit(db_uri).scheme.split("+", 1)[0]
    if not scheme or "://" not in db_uri:
        source = getattr(config, "source", None) or "config"
        raise ConfigError(
            f"[backend] db_uri {db_uri!r} in {source} is not a database URI: use e.g. "
            "sqlite:///redun.db or postgresql://host:5432/redun"
        )
    from redun.plugins.registry import get_backend_class

    backend_class = get_backend_class(scheme)
    return backend_class(
        db_uri=db_uri,
        config=backend_config,
        config_dir=getattr(config, "config_dir", None),
    )


def build_executors(config: Config | dict | None, scheduler: Scheduler) -> dict[str, Executor]:
    """Executors from ``[executors.*]``, plus ``default`` (threads) and ``process``."""
    from redun.executors.base import get_executors_from_config
    from redun.executors.local import LocalExecutor

    sections = _section(config, "executors")
    executors = {
        executor.name: executor for executor in get_executors_from_config(sections, scheduler)
    }
    if "default" not in executors:
        executors["default"] = LocalExecutor("default", scheduler=scheduler, config={})
    if "process" not in executors:
        executors["process"] = LocalExecutor(
            "process", scheduler=scheduler, config={"mode": "process"}
        )
    return executors


def run_context(config: Any, context: dict | None) -> dict:
    """A run's context: ``[scheduler] context_file``, then ``context`` (JSON), then the
    ``context`` given to ``run``, each merged over the one before."""
    from redun.context_values import merge_dicts

    section = _section(config, "scheduler")
    if section.get("context_file") and section.get("context"):
        # Which of the two should win is ambiguous: refuse, as upstream redun does.
        raise ConflictingContextConfig(
            "Both context and context_file specified in config! Keep one of them in [scheduler]."
        )
    layers: list[dict] = []
    if section.get("context_file"):
        # Relative to the directory of the redun.ini that names it, as upstream.
        path = os.path.join(
            getattr(config, "config_dir", None) or os.getcwd(),
            os.path.expanduser(section["context_file"]),
        )
        try:
            with open(path) as handle:
                layers.append(json.load(handle))
        except (OSError, ValueError) as error:
            raise ConfigError(f"cannot read context_file '{path}': {error}") from error
    if section.get("context"):
        try:
            layers.append(json.loads(section["context"]))
        except ValueError as error:
            raise ConfigError(f"invalid JSON in [scheduler] context: {error}") from error
    return merge_dicts([*layers, context or {}])


def setup_scheduler(config: Config, setup_args: Sequence[str] = ()) -> Scheduler:
    """The scheduler a CLI command uses: configured from redun.ini."""
    from redun.scheduler.scheduler import Scheduler

    return Scheduler(config=config)
