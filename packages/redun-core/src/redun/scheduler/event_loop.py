"""The scheduler thread's event pump, shared by a run and its settling after a failure.

Executors report from their own threads by queueing closures; only this loop runs them,
so all scheduler state stays on one thread. Between waves of events it hands the
recorder's rows to the backend's writer and looks the queued jobs up in the cache.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from redun.scheduler.interrupt import Interruption
    from redun.scheduler.job import Execution
    from redun.scheduler.jobs import JobRunner
    from redun.scheduler.live import LiveStatus
    from redun.scheduler.recording import Recorder

# Provenance rows gathered while draining events before they go to the writer mid-wave.
HANDOFF_ROWS = 4000
# Seconds between heartbeats of a recorded execution.
HEARTBEAT_S = 10
# Seconds one wait for an event lasts before the loop looks around again.
EVENT_WAIT_S = 1.0


class EventLoop:
    """Runs one execution's events until what the caller waits for has happened.

    ``heartbeat``: the execution is recorded, and its row is touched every
    ``HEARTBEAT_S`` seconds while events arrive.
    """

    def __init__(
        self,
        events: queue.SimpleQueue,
        jobs: JobRunner,
        recorder: Recorder,
        interruption: Interruption,
        execution: Execution,
        live: LiveStatus,
        heartbeat: bool,
    ) -> None:
        self.events = events
        self.jobs = jobs
        self.recorder = recorder
        self.interruption = interruption
        self.execution = execution
        self.live = live
        self._last_heartbeat = time.time() if heartbeat else None

    def pump(self, finished: Callable[[], bool]) -> None:
        """Run events until ``finished()``, or until nothing runs and nothing is queued.

        After Ctrl-C it settles the interruption instead, which raises.
        """
        events = self.events
        jobs = self.jobs
        interruption = self.interruption
        while not finished():
            self.live.tick()
            self.drain()
            if interruption.requested:
                interruption.settle(self.execution)
            if finished():
                return
            if jobs.lookups_pending():
                jobs.check_cache()
                continue
            if jobs.idle() and events.empty():
                if interruption.requested:
                    continue  # Ctrl-C arrived just now: settled on the next turn
                return
            try:
                event = events.get(timeout=EVENT_WAIT_S)
            except queue.Empty:
                continue
            event()
            self._beat()

    def drain(self) -> None:
        """Run every event already queued, handing rows to the writer as they pile up."""
        get = self.events.get_nowait
        recorder = self.recorder
        while True:
            if recorder.pending_rows >= HANDOFF_ROWS:
                # Results arriving faster than we drain them: hand rows over as we go so
                # the writer commits alongside (SQLite runs without the GIL) instead of
                # taking the whole run's rows after the last job.
                recorder.flush_pending()
            try:
                event: Any = get()
            except queue.Empty:
                # A wave is done: its provenance rows go to the writer in one handoff.
                recorder.flush_pending()
                return
            event()

    def _beat(self) -> None:
        last = self._last_heartbeat
        if last is not None and time.time() - last > HEARTBEAT_S:
            self.recorder.heartbeat(self.execution.id)
            self._last_heartbeat = time.time()
