"""Upstream's ``redun.scheduler_config`` entry point for preparing a config by hand.

This engine prepares configs as it loads them (relative paths resolve against the
config directory when used, ``[scheduler] federated_configs`` are merged in by the
Scheduler). :func:`postprocess_config` gives code that builds a config itself what
upstream's gives it: the config written out in full, as a remote job would need it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from redun.config import DEFAULT_DB_URI, DEFAULT_REPO_NAME, LEGACY_DEFAULT_DB_URI
from redun.federated_config import merge_federated_configs

if TYPE_CHECKING:
    from redun.config import Config


def postprocess_config(config: Config, config_dir: str) -> Config:
    """A copy of ``config`` completed as upstream redun completes it.

    - federated configs merged in (and ``federated_configs`` dropped, so a Scheduler
      built from the result does not merge them a second time);
    - ``[repos.default] config_dir`` and ``[backend] config_dir`` set to ``config_dir``;
    - ``[backend] db_uri`` defaulted to ``sqlite:///redun.db`` and, for sqlite, made
      absolute against ``config_dir``;
    - a relative ``[scheduler] context_file`` made absolute against ``config_dir``.
    """
    from redun.config import Config

    sections = merge_federated_configs(config).to_dict()
    base = config_dir if "://" in config_dir else os.path.abspath(config_dir)
    sections.setdefault(f"repos.{DEFAULT_REPO_NAME}", {})["config_dir"] = config_dir

    backend = sections.setdefault("backend", {})
    db_uri = backend.get("db_uri") or DEFAULT_DB_URI
    if db_uri == LEGACY_DEFAULT_DB_URI:
        db_uri = DEFAULT_DB_URI
    backend["db_uri"] = _absolute_sqlite_uri(db_uri, base)
    backend["config_dir"] = config_dir

    scheduler = sections.setdefault("scheduler", {})
    scheduler.pop("federated_configs", None)
    context_file = scheduler.get("context_file")
    if context_file and not os.path.isabs(context_file):
        scheduler["context_file"] = os.path.join(base, context_file)
    return Config.from_dict(sections, config_dir=config.config_dir)


def _absolute_sqlite_uri(db_uri: str, base: str) -> str:
    prefix = "sqlite:///"
    if not db_uri.startswith(prefix):
        return db_uri
    path = db_uri[len(prefix) :]
    if not path or path.startswith(":memory:") or os.path.isabs(path):
        return db_uri
    return prefix + os.path.join(base, path)


__all__ = ["postprocess_config"]
