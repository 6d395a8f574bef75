"""The ``redun`` command line. ``RedunClient`` runs it in-process (upstream's name)."""

from __future__ import annotations

from typing import Any

__all__ = ["RedunClient", "RedunClientError"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from redun.cli import client

        return getattr(client, name)
    raise AttributeError(f"module 'redun.cli' has no attribute '{name}'")
