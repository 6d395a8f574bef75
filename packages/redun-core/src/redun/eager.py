"""``await expr`` inside an async task: evaluate an expression eagerly in the scheduler."""

from __future__ import annotations

import asyncio
from typing import Any

from redun.current import get_current_job


def evaluate_eagerly(expr: Any) -> asyncio.Future:
    """A future (on the running event loop) of ``expr``'s value, computed by the scheduler."""
    try:
        scheduler, job = get_current_job()
    except LookupError as error:
        raise RuntimeError(
            "can only await an expression inside a task running on a thread-mode local executor"
        ) from error
    loop = asyncio.get_running_loop()
    future: asyncio.Future = loop.create_future()

    def settle(ok: bool, value: Any) -> None:
        if future.done():
            return
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)

    def start() -> None:
        scheduler.evaluate(expr, job).then(
            lambda value: loop.call_soon_threadsafe(settle, True, value),
            lambda error: loop.call_soon_threadsafe(settle, False, error),
        )

    scheduler.events.put(start)
    return future
