"""Text forms shared by the console's screens: times, durations, commands, tags."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

# rich styles of each derived status.
STATUS_STYLES = {
    "DONE": "green",
    "CACHED": "cyan",
    "FAILED": "bold red",
    "RUNNING": "yellow",
}
STATUSES = ("RUNNING", "FAILED", "CACHED", "DONE")


def format_time(dt: datetime | None) -> str:
    return dt.astimezone().strftime("%Y-%m-%d %H:%M:%S") if dt else "?"


def format_duration(start: datetime | None, end: datetime | None) -> str:
    if start is None or end is None:
        return "Unknown"
    delta: timedelta = end - start
    tenths = round(delta.total_seconds() * 100)
    seconds, frac = divmod(tenths, 100)
    minutes, secs = divmod(seconds, 60)
    hours, mins = divmod(minutes, 60)
    return f"{hours}:{mins:02d}:{secs:02d}.{frac:02d}"


def format_argv(args: str) -> str:
    """The recorded command line without the program name (``run wf.py main``)."""
    try:
        return " ".join(json.loads(args)[1:])
    except (ValueError, TypeError):
        return args


def format_tags(tags: list[tuple[str, Any]]) -> str:
    parts = sorted(f"{k}={v if isinstance(v, str) else json.dumps(v)}" for k, v in tags)
    return ", ".join(parts)
