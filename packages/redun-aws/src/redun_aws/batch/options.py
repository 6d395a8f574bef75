"""AWS Batch settings of a job: the executor section's keys, overridden by task options.

Upstream's keys and defaults: ``vcpus`` (1), ``gpus`` (0), ``memory`` (GB, 4),
``shared_memory`` (GB), ``timeout`` (seconds), ``privileged`` (false),
``autocreate_job_def`` (true; old spelling ``autocreate_job``), ``job_def_name``,
``retries`` (1), ``role`` (``none`` for no role), ``job_name_prefix`` (``redun-job``),
``num_nodes`` (multi-node), ``job_def_extra`` (JSON), ``share_id``,
``scheduling_priority_override``, ``batch_tags`` (JSON), ``default_batch_tags`` (true),
and ``image``/``queue`` themselves.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from redun.config_values import parse_bool, parse_float, parse_int
from redun.errors import ConfigError

INT_KEYS = ("vcpus", "gpus", "timeout", "retries", "num_nodes", "scheduling_priority_override")
FLOAT_KEYS = ("memory", "shared_memory")
BOOL_KEYS = ("privileged", "autocreate_job_def", "default_batch_tags")
JSON_KEYS = ("job_def_extra", "batch_tags")
TEXT_KEYS = ("image", "queue", "role", "job_def_name", "job_name_prefix", "share_id")
# Task options that change what a job is submitted with (so jobs differing in any of
# them never share an array job).
BATCH_KEYS = INT_KEYS + FLOAT_KEYS + BOOL_KEYS + JSON_KEYS + TEXT_KEYS

DEFAULTS: dict[str, Any] = {
    "vcpus": 1,
    "gpus": 0,
    "memory": 4.0,
    "shared_memory": None,
    "timeout": None,
    "privileged": False,
    "autocreate_job_def": True,
    "job_def_name": None,
    "retries": 1,
    "role": None,
    "job_name_prefix": "redun-job",
    "num_nodes": None,
    "job_def_extra": None,
    "share_id": None,
    "scheduling_priority_override": None,
    "batch_tags": {},
    "default_batch_tags": True,
}


def parse_section(config: Mapping[str, Any], section: str) -> dict[str, Any]:
    """The executor section's batch settings, parsed, with upstream's defaults."""
    source = getattr(config, "source", None)
    settings = dict(DEFAULTS)
    if "autocreate_job" in config and "autocreate_job_def" not in config:
        settings["autocreate_job_def"] = parse_bool(
            config["autocreate_job"], "autocreate_job", section, source
        )
    for key in BATCH_KEYS:
        if key in config and config[key] not in (None, ""):
            settings[key] = parse_value(key, config[key], section, source)
    return settings


def parse_value(key: str, value: Any, where: str, source: str | None = None) -> Any:
    """One setting from redun.ini text or a task option (already typed, or text)."""
    if not isinstance(value, str):
        return value
    if key in INT_KEYS:
        return parse_int(value, key, where, source)
    if key in FLOAT_KEYS:
        return parse_float(value, key, where, source)
    if key in BOOL_KEYS:
        return parse_bool(value, key, where, source)
    if key in JSON_KEYS:
        try:
            return json.loads(value)
        except ValueError as error:
            raise ConfigError(f"invalid JSON for {key} in [{where}]: {error}") from None
    return value


def job_settings(defaults: Mapping[str, Any], options: Mapping[str, Any]) -> dict[str, Any]:
    """A job's settings: the section's, then its task options (``batch_tags`` merge)."""
    settings = dict(defaults)
    for key in BATCH_KEYS:
        if key in options and options[key] is not None:
            settings[key] = parse_value(key, options[key], "task options")
    if "autocreate_job" in options and "autocreate_job_def" not in options:
        settings["autocreate_job_def"] = bool(options["autocreate_job"])
    settings["batch_tags"] = {**defaults.get("batch_tags", {}), **options.get("batch_tags", {})}
    return settings


def group_signature(settings: Mapping[str, Any]) -> str:
    """Equal for jobs that may share one array job."""
    return json.dumps({k: settings.get(k) for k in BATCH_KEYS}, sort_keys=True, default=str)
