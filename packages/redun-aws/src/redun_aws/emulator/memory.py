"""Memory limits for the emulator's jobs, as Batch's container runtime enforces them.

A Batch container that uses more than its ``MEMORY`` requirement is killed by the
kernel and its job fails with ``OutOfMemoryError: Container killed due to memory
usage``. The emulator runs jobs as plain processes, so one thread measures every
running job's resident memory (the sum over the processes of its session, read from
``/proc``) four times a second and kills the jobs over their limit (a spike shorter
than that can slip through, where the kernel would not let it). Where there is no
``/proc`` (macOS), limits are not enforced.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

OOM_REASON = "OutOfMemoryError: Container killed due to memory usage"
OOM_EXIT_CODE = 137  # 128 + SIGKILL, what Batch reports for a container the kernel killed
INTERVAL = 0.25  # one scan of /proc costs a few ms
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def session_rss() -> dict[int, int]:
    """Resident bytes of every process session on this machine (by session id)."""
    totals: dict[int, int] = {}
    for session, rss_pages in _proc_stats():
        totals[session] = totals.get(session, 0) + rss_pages * PAGE_SIZE
    return totals


def _proc_stats() -> Iterator[tuple[int, int]]:
    try:
        names = os.listdir("/proc")
    except OSError:
        return
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as stat:
                text = stat.read().decode("ascii", "replace")
        except OSError:
            continue  # gone already
        # "pid (comm) state ppid pgrp session ... rss ...": comm may hold spaces.
        fields = text.rpartition(")")[2].split()
        if len(fields) > 21:
            yield int(fields[3]), int(fields[21])


class MemoryWatch:
    """Kills a session once its resident memory passes its limit; ``exceeded`` tells."""

    def __init__(self) -> None:
        self.enabled = os.path.isdir("/proc/self")
        self._lock = threading.Lock()
        self._limits: dict[int, int] = {}
        self._exceeded: set[int] = set()
        self._thread: threading.Thread | None = None

    def watch(self, session: int, limit_mib: int | None) -> None:
        """Watch the session led by process ``session`` (started with a new session)."""
        if not self.enabled or not limit_mib:
            return
        with self._lock:
            self._limits[session] = limit_mib * 1024 * 1024
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, daemon=True)
                self._thread.start()

    def forget(self, session: int) -> None:
        with self._lock:
            self._limits.pop(session, None)
            self._exceeded.discard(session)

    def exceeded(self, session: int) -> bool:
        with self._lock:
            return session in self._exceeded

    def _run(self) -> None:
        import signal
        import time

        while True:
            time.sleep(INTERVAL)
            with self._lock:
                limits = dict(self._limits)
            if not limits:
                continue
            usage = session_rss()
            for session, limit in limits.items():
                if usage.get(session, 0) <= limit:
                    continue
                with self._lock:
                    if session not in self._limits:
                        continue
                    self._exceeded.add(session)
                    del self._limits[session]
                try:
                    os.killpg(session, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
