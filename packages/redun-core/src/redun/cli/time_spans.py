"""Spans of time typed on the command line: ``7d``, ``12h``, ``30m``, ``2w``, ``90s``."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from redun.errors import UsageError

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_SPAN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")


def parse_span(text: str, option: str) -> timedelta:
    """``7d`` -> 7 days; a clear one-line error naming ``option`` otherwise."""
    match = _SPAN.match(text or "")
    if match is None:
        raise UsageError(
            f"{option} {text!r}: expected a number and a unit (s, m, h, d, w), e.g. 7d"
        )
    return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2)])


def parse_since(text: str, option: str) -> datetime:
    """A span back from now (``7d``) or a date (``2026-11-01``), as an aware UTC datetime."""
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return datetime.now(UTC) - parse_span(text, option)
    return when if when.tzinfo is not None else when.astimezone(UTC)
