"""Ctrl-C during a run: stop dispatching at once, let running jobs finish for a grace
period, record every job that finished and mark the rest interrupted.

A user pressing Ctrl-C expects nothing new to start and nothing finished to be lost (a
rerun must not repeat a finished job's side effects). So the first SIGINT only sets
flags, from the signal handler: the job runner stops dispatching (``stop_dispatch``) and
executors see ``Scheduler.is_interrupted`` before starting a job body. The scheduler
thread then calls each executor's ``interrupt()`` once (drop queued jobs; remote
executors detach or cancel), keeps recording results for up to ``interrupt_grace``
seconds while running jobs finish, and records every job still unfinished with a
``JobInterrupted`` error, so ``redun log`` shows it and a rerun runs it again. A second
Ctrl-C ends the wait at once.
"""

from __future__ import annotations

import queue
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn

from redun.errors import JobInterrupted
from redun.scheduler.report import CACHED, DONE

if TYPE_CHECKING:
    from redun.scheduler.job import Execution, Job
    from redun.scheduler.scheduler import Scheduler

# Seconds running jobs get to finish after the first Ctrl-C ([scheduler] interrupt_grace).
DEFAULT_INTERRUPT_GRACE_S = 10.0
INTERRUPTED_MESSAGE = "interrupted by Ctrl-C before the job finished; rerun to run it"
# Execution tag recording that a run was interrupted (shown by `redun log`).
INTERRUPTED_TAG = "redun.interrupted"


class ExecutionInterrupted(KeyboardInterrupt):
    """What ``Scheduler.run`` raises once an interrupted run is recorded.

    A KeyboardInterrupt, so code that catches Ctrl-C around ``run`` keeps working;
    ``finished`` and ``interrupted`` count this execution's jobs.
    """

    def __init__(self, execution_id: str, finished: int, interrupted: int) -> None:
        self.execution_id = execution_id
        self.finished = finished
        self.interrupted = interrupted
        super().__init__(
            f"interrupted: execution {execution_id[:8]}: {finished} job(s) finished and "
            f"recorded, {interrupted} marked interrupted; run again to finish the rest"
        )


def interrupt_grace(config: Any) -> float:
    """``[scheduler] interrupt_grace`` in seconds (validated with the config)."""
    section = config.get("scheduler", {}) or {}
    value = section.get("interrupt_grace")
    return DEFAULT_INTERRUPT_GRACE_S if value in (None, "") else float(value)


def _wake() -> None:
    """An event that does nothing: it only wakes the scheduler's queue wait."""


class Interruption:
    """The Ctrl-C state of one scheduler's run, and the settling that follows it."""

    def __init__(self, scheduler: Scheduler) -> None:
        self.scheduler = scheduler
        self.requested = False
        self.abandoned = False

    def reset(self) -> None:
        self.requested = False
        self.abandoned = False

    @contextmanager
    def catching_sigint(self) -> Iterator[None]:
        """Route SIGINT to :meth:`_on_sigint` while a run is in progress.

        Only in the main thread and only over Python's default handler: a program that
        installed its own handler keeps it (a KeyboardInterrupt it raises is still
        settled as a first Ctrl-C).
        """
        if (
            threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
        ):
            yield
            return
        previous = signal.signal(signal.SIGINT, self._on_sigint)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)

    def _on_sigint(self, signum: int, frame: Any) -> None:
        # Runs on the scheduler thread between two bytecodes: set flags, never block.
        if not self.requested:
            self.requested = True
            self.scheduler.jobs.stop_dispatch()
        elif not self.abandoned:
            self.abandoned = True
        else:
            raise KeyboardInterrupt  # a third Ctrl-C while recording: leave at once
        self.scheduler.events.put(_wake)

    def settle(self, execution: Execution) -> NoReturn:
        """Stop the executors, wait out the grace period, record, raise."""
        scheduler = self.scheduler
        jobs = scheduler.jobs
        self.requested = True
        jobs.stop_dispatch()
        for executor in scheduler.executors.values():
            try:
                executor.interrupt()
            except Exception:
                scheduler.logger.exception("executor '%s' failed to interrupt", executor.name)
        # What the executors reported while interrupting (jobs they dropped, detached or
        # cancelled) counts first, so the message names only jobs still running.
        self._wait(time.monotonic())
        grace = scheduler.interrupt_grace
        if jobs.running and not self.abandoned:
            scheduler.logger.warning(
                f"Interrupted: waiting up to {grace:g}s for {jobs.running} running "
                "job(s) to finish (Ctrl-C again to stop waiting)"
            )
        self._wait(time.monotonic() + grace)
        finished, interrupted = self._mark_unfinished(execution)
        root = execution.job
        recorded = root is not None and root.options.get("prov") is not False
        if interrupted and recorded and execution.parent_job_id is None:
            scheduler.recorder.tags("Execution", execution.id, [(INTERRUPTED_TAG, True)])
        raise ExecutionInterrupted(execution.id, finished, interrupted)

    def _wait(self, deadline: float) -> None:
        """Process results until no job runs, the grace period ends or Ctrl-C again."""
        scheduler = self.scheduler
        events = scheduler.events
        while True:
            waiting = scheduler.jobs.running > 0 and not self.abandoned
            remaining = deadline - time.monotonic()
            try:
                if waiting and remaining > 0:
                    event = events.get(timeout=min(remaining, 0.5))
                else:
                    event = events.get_nowait()  # results already reported still count
            except queue.Empty:
                if waiting and remaining > 0:
                    continue
                return
            try:
                event()
            except KeyboardInterrupt:
                self.abandoned = True
            except Exception:
                scheduler.logger.exception("error while settling an interrupted run")

    def _mark_unfinished(self, execution: Execution) -> tuple[int, int]:
        """Record every unsettled job of the execution as interrupted, deepest first.

        Returns (jobs finished, jobs interrupted: these and those an executor already
        reported as never started). Walks the job tree without
        recursion (trees may be deep).
        """
        root = execution.job
        if root is None:
            return 0, 0
        order: list[Job] = []
        stack = [root]
        while stack:
            job = stack.pop()
            order.append(job)
            stack.extend(job.child_jobs)
        finished = sum(1 for job in order if job.status in (DONE, CACHED))
        unsettled = [
            job
            for job in reversed(order)
            if job.result_promise is None or job.result_promise.is_pending
        ]
        scheduler = self.scheduler
        for job in unsettled:
            # A child's interruption may already have failed its parent: skip those.
            if job.result_promise is None or job.result_promise.is_pending:
                scheduler.recorder.release_start(job)
                scheduler.jobs.fail(job, JobInterrupted(INTERRUPTED_MESSAGE))
        interrupted = sum(1 for job in order if isinstance(job.result, JobInterrupted))
        return finished, interrupted
