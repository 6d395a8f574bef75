"""Which queued jobs to submit now, and together.

Jobs of one group (same task and resources, as the service's ``group_key`` says) wait
until the oldest of them has been queued ``stale_time`` seconds, so that the jobs a
scheduler wave makes ready at once leave as one array job instead of one call each. A
group that reaches ``max_array_size`` leaves at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable

from redun.executors.remote.jobs import RemoteJob


def due_groups(
    pending: list[RemoteJob],
    group_key: Callable[[RemoteJob], Hashable],
    stale_time: float,
    max_array_size: int,
    now: float | None = None,
) -> tuple[list[list[RemoteJob]], list[RemoteJob]]:
    """Split ``pending`` into groups due for submission (each at most ``max_array_size``
    jobs) and the jobs that keep waiting, both in queue order."""
    now = time.monotonic() if now is None else now
    groups: dict[Hashable, list[RemoteJob]] = {}
    for remote in pending:
        try:
            key = group_key(remote)
        except Exception:  # a bad option: alone, so submitting it fails only this job
            key = ("ungroupable", id(remote))
        groups.setdefault(key, []).append(remote)
    size = max(1, max_array_size)
    due: list[list[RemoteJob]] = []
    waiting: list[RemoteJob] = []
    for group in groups.values():
        full = len(group) - len(group) % size
        for start in range(0, full, size):
            due.append(group[start : start + size])
        rest = group[full:]
        if rest and now - rest[0].queued_at >= stale_time:
            due.append(rest)
        else:
            waiting.extend(rest)
    waiting.sort(key=lambda remote: remote.queued_at)
    return due, waiting
