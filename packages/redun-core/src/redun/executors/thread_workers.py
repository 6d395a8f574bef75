"""A minimal thread pool for the local executor's thread mode.

``concurrent.futures.ThreadPoolExecutor`` builds a Future (a Condition and its locks) and
a work item per submit, ~15 us a job on a large fan-out, for a result nobody reads: a
job reports its own outcome to the scheduler. Here a submit is one queue put.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from queue import Empty, SimpleQueue
from typing import Any

_STOP = None

logger = logging.getLogger("redun.executors")


class ThreadWorkers:
    """Up to ``max_workers`` daemon threads running submitted calls in order."""

    def __init__(self, max_workers: int, name: str) -> None:
        self.max_workers = max_workers
        self.name = name
        self._queue: SimpleQueue[tuple[Callable[..., Any], tuple] | None] = SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._idle = 0
        self._lock = threading.Lock()

    def submit(self, func: Callable[..., Any], *args: Any) -> None:
        """Run ``func(*args)`` on a worker: an idle one if any is left unclaimed, else a
        new thread (up to ``max_workers``), else the next one to finish."""
        self._queue.put((func, args))
        with self._lock:
            if self._idle:
                self._idle -= 1  # that worker is this call's
            elif len(self._threads) < self.max_workers:
                thread = threading.Thread(
                    target=self._work, name=f"{self.name}_{len(self._threads)}", daemon=True
                )
                self._threads.append(thread)
                thread.start()

    def drain(self) -> list[tuple[Callable[..., Any], tuple]]:
        """Take every call still queued (not started) off the queue and return them."""
        taken = []
        while True:
            try:
                item = self._queue.get_nowait()
            except Empty:
                return taken
            if item is _STOP:
                self._queue.put(_STOP)  # shutting down already: leave the stop marks
                return taken
            taken.append(item)

    def shutdown(self, wait: bool = True) -> None:
        """Let queued calls finish, then stop every thread; ``wait=False`` returns at once
        (after Ctrl-C, calls still running are abandoned: the threads are daemons)."""
        with self._lock:
            threads = list(self._threads)
        for _ in threads:
            self._queue.put(_STOP)
        if wait:
            for thread in threads:
                thread.join()

    def _work(self) -> None:
        get, lock = self._queue.get, self._lock
        # A new thread was started for a call already queued: it takes it without
        # announcing itself idle; afterwards each wait is announced for submit to claim.
        item = get()
        while item is not _STOP:
            func, args = item
            try:
                func(*args)
            except BaseException:  # a worker outlives any call (callers report their own)
                logger.exception("redun worker thread: uncaught error in %r", func)
            with lock:
                self._idle += 1
            item = get()
