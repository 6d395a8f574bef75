"""The hooks redun calls; the ``redun`` entry point names this module.

Only ``@hookimpl`` functions live here, and each imports its classes inside its body:
redun imports this module whenever it scans installed plugins, so it must be cheap and
must not fail when an optional dependency of one part is missing. See docs/extending/hooks.md for
every hook.
"""

from __future__ import annotations

from typing import Any

from redun.plugins import hookimpl


@hookimpl
def redun_executors() -> list[type[Any]]:
    from redun_example.executor import ExampleExecutor

    return [ExampleExecutor]
