"""The scheduler running in this thread (set for the duration of ``Scheduler.run``)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from redun.errors import NoCurrentScheduler

if TYPE_CHECKING:
    from redun.scheduler.scheduler import Scheduler

_local = threading.local()


def get_current_scheduler(required: bool = True) -> Scheduler | None:
    scheduler = getattr(_local, "scheduler", None)
    if scheduler is None and required:
        raise NoCurrentScheduler()
    return scheduler


def set_current_scheduler(scheduler: Scheduler | None) -> None:
    _local.scheduler = scheduler
