"""Upstream's ``redun.scheduler_config`` entry point for preparing a config by hand.

This engine prepares configs as it loads them (relative paths resolve against the
config directory, ``[scheduler] federated_configs`` are merged in by the Scheduler), so
:func:`postprocess_config` only has the federated configs left to merge.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from redun.federated_config import merge_federated_configs

if TYPE_CHECKING:
    from redun.config import Config


def postprocess_config(config: Config, config_dir: str) -> Config:
    """``config`` ready for a Scheduler: federated configs merged in."""
    return merge_federated_configs(config)


__all__ = ["postprocess_config"]
