"""Checking a loaded Config: section layout and typed values, as one-line ConfigErrors."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from redun.config_values import (
    KEY_SECTIONS,
    NAMED_SECTIONS,
    Section,
    parse_bool,
    parse_float,
    parse_int,
)
from redun.errors import ConfigError

if TYPE_CHECKING:
    from redun.config import Config

# Typed keys checked by validate_config: (section, key) -> parser.
_TYPED_KEYS = {
    ("scheduler", "job_status_interval"): parse_int,
    ("scheduler", "interrupt_grace"): parse_float,
    ("backend", "automigrate"): parse_bool,
    ("backend", "db_retries"): parse_int,
    ("backend", "db_retries_backoff"): parse_float,
    ("backend", "db_retries_backoff_max"): parse_float,
}


# The keys each fixed-key section understands (upstream redun's, plus this redun's own:
# the PostgreSQL backend's pool and connect settings, the scheduler's interrupt grace).
# [limits] and [tags] take any key.
KNOWN_KEYS: dict[str, tuple[str, ...]] = {
    "backend": (
        "automigrate",
        "db_aws_secret_name",
        "db_connect_timeout",
        "db_password_env",
        "db_pool_size",
        "db_retries",
        "db_retries_backoff",
        "db_retries_backoff_max",
        "db_uri",
        "db_username_env",
        "max_value_size",
        "value_store_min_size",
        "value_store_path",
    ),
    "scheduler": (
        "boto_config",
        "context",
        "context_file",
        "federated_configs",
        "ignore_warnings",
        "interrupt_grace",
        "job_status_interval",
        "setup_scheduler",
    ),
}


def validate_config(config: Config) -> None:
    """Check section names and typed values, raising one-line ConfigErrors.

    Unknown top-level sections are warned about, not refused: upstream ignores them and
    existing users' configs must keep working, but a typo such as ``[executor.default]``
    should not pass silently either.
    """
    source = config.source or "config"
    known = ", ".join(sorted(KEY_SECTIONS + tuple(f"{n}.NAME" for n in NAMED_SECTIONS)))
    for name, node in config.items():
        if name in KEY_SECTIONS:
            bad = None if isinstance(node, Section) else f"{name}.{next(iter(node))}"
        elif name not in NAMED_SECTIONS:
            logging.getLogger("redun").warning(
                f"ignoring unknown section [{name}] in {source} (known: {known})"
            )
            continue
        elif isinstance(node, Section):
            bad = name if node.own_keys else None
        else:
            deep = [child for child, sub in node.items() if not isinstance(sub, Section)]
            bad = f"{name}.{deep[0]}.{next(iter(node[deep[0]]))}" if deep else None
        if bad:
            use = f"[{name}] with keys" if name in KEY_SECTIONS else f"[{name}.NAME]"
            raise ConfigError(f"misplaced section [{bad}] in {source}: use {use}")
    _warn_unknown_keys(config, source)
    _validate_values(config, source)


def _warn_unknown_keys(config: Config, source: str) -> None:
    """Warn about a key no part of redun reads (``db_urii``): upstream accepts unknown
    keys, so this must not fail, but a typo that silently falls back to a default (an
    in-memory database!) deserves a line naming what was meant."""
    for name, known in KNOWN_KEYS.items():
        section = config.get(name)
        if not isinstance(section, Section):
            continue
        for key in sorted(section.own_keys):
            if key not in known:
                logging.getLogger("redun").warning(
                    f"ignoring unknown key '{key}' in [{name}] of {source} "
                    f"(known: {', '.join(known)})"
                )


def _validate_values(config: Config, source: str) -> None:
    for (section_name, key), parser in _TYPED_KEYS.items():
        section = config.get(section_name)
        if section is not None and key in section:
            parser(section[key], key, section_name, source)
    limits = config.get("limits")
    if limits is not None:
        for key in limits.own_keys:
            parse_int(limits[key], key, "limits", source, minimum=0)
    scheduler = config.get("scheduler")
    if scheduler is not None and "context" in scheduler:
        try:
            context = json.loads(scheduler["context"])
        except ValueError as exc:
            raise ConfigError(
                f"invalid context in [scheduler] of {source}: not JSON ({exc.msg} at "
                f"column {exc.colno})"
            ) from None
        if not isinstance(context, dict):
            raise ConfigError(f"invalid context in [scheduler] of {source}: expected a JSON object")
    for name, section in _named(config, "executors").items():
        if "type" not in section and "class" not in section:
            raise ConfigError(
                f"section [executors.{name}] in {source} has no type: add e.g. 'type = local'"
            )
    for name, section in _named(config, "repos").items():
        if "config_dir" not in section:
            raise ConfigError(
                f"section [repos.{name}] in {source} has no config_dir: add the path of "
                "that repository's .redun directory"
            )


def _named(config: Config, name: str) -> Mapping[str, Section]:
    node = config.get(name, {})
    return {} if isinstance(node, Section) else node
