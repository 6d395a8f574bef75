"""Upstream's ``redun.context``: read context values, in tasks and in plain code."""

from __future__ import annotations

from redun.context_values import get_context_value
from redun.scheduler.control import get_context

__all__ = ["get_context", "get_context_value"]
