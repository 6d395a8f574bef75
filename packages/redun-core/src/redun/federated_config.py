"""``[scheduler] federated_configs``: config directories whose executors and federated
tasks join this config, so a workflow can call tasks other teams configured."""

from __future__ import annotations

from redun.config import Config, load_config
from redun.errors import ConfigError


def merge_federated_configs(config: Config) -> Config:
    """``config`` with the executors and federated tasks of every directory listed in
    ``[scheduler] federated_configs`` (one per line) merged in; a name defined twice is
    an error naming it."""
    listed = ((config.get("scheduler") or {}).get("federated_configs") or "").split("\n")
    dirs = [line.strip() for line in listed if line.strip()]
    if not dirs:
        return config
    merged = config.to_dict()
    for config_dir in dirs:
        imported = load_config(config_dir, create=False).to_dict()
        for name, section in imported.items():
            kind = name.split(".", 1)[0]
            if kind not in ("executors", "federated_tasks") or "." not in name:
                continue
            if name in merged:
                what = "executor" if kind == "executors" else "federated_task"
                raise ConfigError(
                    f"Imported {what} name `{name.split('.', 1)[1]}` is a duplicate "
                    f"(from federated config {config_dir})"
                )
            merged[name] = section
    return Config.from_dict(merged, config_dir=config.config_dir)
