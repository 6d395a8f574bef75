"""``redun.run``: a scheduler per config directory, reused across calls."""

from __future__ import annotations

from typing import Any

_schedulers: dict[str, Any] = {}


def run_with_config(expr: Any, config_dir: str | None = None, **kwargs: Any) -> Any:
    from redun.config import get_config_dir, load_config
    from redun.scheduler.config import setup_scheduler

    directory = get_config_dir(config_dir)
    scheduler = _schedulers.get(directory)
    if scheduler is None:
        scheduler = _schedulers[directory] = setup_scheduler(load_config(directory))
    return scheduler.run(expr, **kwargs)
