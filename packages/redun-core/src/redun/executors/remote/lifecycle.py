"""The remote-job lifecycle, written once for every remote executor.

``submit`` only queues a job; one monitor thread does everything else with the
service's calls (:class:`~redun.executors.remote.service.JobService`):

1. **Submit** queued jobs once their group has waited ``stale_time`` (so the jobs of one
   wave meet), as array jobs of up to ``max_array_size`` children when the service
   has arrays and at least ``min_array_size`` jobs share a group, else one by one.
   Before the first submission it asks the service, once, which jobs of earlier runs
   still run: a queued job whose eval hash is among them is **reattached** (polled,
   not submitted again).
2. **Poll** every ``poll_interval`` seconds, ``max_describe`` ids per call.
3. **Settle** each finished job: read its output (done) or its error (the task's own
   exception, with the service's reason and log tail), resubmit it when its host was
   preempted (up to ``preemption_retries`` times, not counted as a failure), or raise a
   timeout as :class:`~redun.errors.RemoteJobTimeoutError`.
4. **Interrupt** (first Ctrl-C): ``detach`` leaves submitted jobs running and says how
   many and how to reattach or kill them; ``terminate`` cancels them.

Outcomes go to ``on_done(job, result)`` / ``on_failed(job, error, traceback_lines)``,
which the executor wires to the scheduler's thread-safe callbacks. ``on_tags(job,
tags)`` records the service's job tags (AWS Batch's ``aws_batch_job``) on the redun job
when it is submitted or reattached, and again, with what the service knows only at the
end (``aws_log_stream``), just before its outcome.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from redun.errors import JobInterrupted, RemoteJobError, RemoteJobTimeoutError
from redun.executors.remote import scratch as scratch_files
from redun.executors.remote.command import oneshot_command
from redun.executors.remote.grouping import due_groups
from redun.executors.remote.jobs import RemoteJob
from redun.executors.remote.service import (
    FAILED,
    PREEMPTED,
    SUCCEEDED,
    TIMEOUT,
    JobService,
    RemoteStatus,
)

if TYPE_CHECKING:
    from redun.scheduler import Job

logger = logging.getLogger("redun.executors")

DETACH = "detach"
TERMINATE = "terminate"
ON_INTERRUPT = (DETACH, TERMINATE)
# Polls in a row a job may be missing from the service's answers before it counts as lost.
MAX_MISSES = 3


@dataclass
class LifecycleSettings:
    """The lifecycle's knobs; executors read them from their config section."""

    scratch: str
    poll_interval: float = 5.0
    stale_time: float = 3.0
    min_array_size: int = 5
    max_array_size: int = 1000
    preemption_retries: int = 3
    on_interrupt: str = DETACH
    code_package: dict | bool = False
    log_tail_lines: int = 20


class RemoteJobLifecycle:
    """Submit, poll, reattach and interrupt the jobs of one remote executor."""

    def __init__(
        self,
        name: str,
        service: JobService,
        settings: LifecycleSettings,
        on_done: Callable[[Job, Any], None],
        on_failed: Callable[[Job, BaseException, list[str]], None],
        log: Callable[..., None] | None = None,
        on_tags: Callable[[Job, list[tuple[str, Any]]], None] | None = None,
    ) -> None:
        self.name = name
        self.service = service
        self.settings = settings
        self.on_done = on_done
        self.on_failed = on_failed
        self.on_tags = on_tags
        self._log = log or (lambda *m: logger.info(" ".join(map(str, m))))
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._pending: list[RemoteJob] = []
        self._active: dict[str, RemoteJob] = {}
        self._misses: dict[str, int] = {}
        self._reattachable: dict[str, str] | None = None
        self._code_file: str | None = None
        self._code_ready = False
        self._last_poll = 0.0
        self._interrupted = False

    def log(self, message: str) -> None:
        """Tell the user now: lifecycle events are rare and matter (reattach, preemption)."""
        from redun.log_output import flush_log_output

        self._log(message)
        flush_log_output()

    # -- scheduler side -------------------------------------------------------------------
    def submit(self, job: Job, script: bool = False) -> None:
        """Queue ``job``; the monitor thread submits it with the rest of its wave."""
        eval_hash = job.eval_hash or job.id
        paths = scratch_files.job_paths(self.settings.scratch, eval_hash)
        remote = RemoteJob(job=job, eval_hash=eval_hash, paths=paths, script=script)
        with self._lock:
            if self._interrupted:
                raise RemoteJobError(f"executor '{self.name}' was interrupted")
            self._pending.append(remote)
            self._start_thread()
        self._wake.set()

    def interrupt(self) -> None:
        """The first Ctrl-C: stop submitting, then detach from or cancel submitted jobs.

        Every job this lifecycle held is then reported as
        :class:`~redun.errors.JobInterrupted` at once: no result of theirs will come
        back to this run, so the scheduler need not wait out its grace period for them.
        """
        with self._lock:
            if self._interrupted:
                return
            self._interrupted = True
            dropped = list(self._pending)
            self._pending.clear()
        self._stop_thread()
        active = dict(self._active)
        remote_ids = list(active)
        service = self.service.service_name
        if dropped:
            self.log(f"{len(dropped)} queued job(s) were not submitted.")
        if remote_ids and self.settings.on_interrupt == TERMINATE:
            self.log(f"Terminating {len(remote_ids)} {service} job(s)...")
            try:
                self.service.cancel(remote_ids, "redun run interrupted")
            except Exception as error:
                self.log(f"Could not terminate every job: {error}")
            self._active.clear()
            fate = "was terminated; rerun to run it again"
        elif remote_ids:
            hint = self.service.detach_hint(remote_ids)
            self.log(f"{len(remote_ids)} {service} job(s) keep running (detached): {hint}.")
            fate = "keeps running (detached); rerun to reattach to it"
        unsent = f"interrupted by Ctrl-C before it was submitted to {service}; rerun to run it"
        for remote in dropped:
            self._fail(remote, JobInterrupted(unsent), [])
        for remote_id, remote in active.items():
            message = f"interrupted by Ctrl-C: {service} job {remote_id} {fate}"
            self._fail(remote, JobInterrupted(message), [])

    def stop(self) -> None:
        """End of a run: stop the monitor thread and forget the run's jobs (those still
        running are left to the service, to be reattached by a later run)."""
        self._stop_thread()
        try:
            self.service.close()
        except Exception:  # pragma: no cover - best effort on shutdown
            logger.exception("executor '%s': closing the service failed", self.name)
        with self._lock:
            self._pending.clear()
            self._active.clear()
            self._misses.clear()
            self._reattachable = None
            self._code_ready, self._code_file = False, None
            self._interrupted = False

    @property
    def active_count(self) -> int:
        return len(self._active)

    # -- the monitor thread -----------------------------------------------------------------
    def _start_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stopping.clear()
            self._thread = threading.Thread(
                target=self._monitor, name=f"redun-{self.name}-monitor", daemon=True
            )
            self._thread.start()

    def _stop_thread(self) -> None:
        self._stopping.set()
        self._wake.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()
        self._thread = None

    def _monitor(self) -> None:
        while not self._stopping.is_set():
            try:
                self._submit_due()
                if self._active and time.monotonic() - self._last_poll >= self._poll_wait():
                    self._poll()
            except Exception:  # keep monitoring: one bad answer must not orphan every job
                logger.exception("executor '%s': monitor cycle failed", self.name)
            self._wake.wait(self._next_wait())
            self._wake.clear()

    def _poll_wait(self) -> float:
        return self.settings.poll_interval

    def _next_wait(self) -> float:
        now = time.monotonic()
        waits = [self.settings.poll_interval]
        if self._active:
            waits.append(self._last_poll + self.settings.poll_interval - now)
        with self._lock:
            if self._pending:
                oldest = min(job.queued_at for job in self._pending)
                waits.append(oldest + self.settings.stale_time - now)
        return max(0.01, min(waits))

    # -- submitting -----------------------------------------------------------------------
    def _submit_due(self) -> None:
        with self._lock:
            if not self._pending:
                return
            groups, self._pending = due_groups(
                self._pending,
                self.service.group_key,
                self.settings.stale_time,
                self.settings.max_array_size,
            )
        if not groups:
            return
        if self._reattachable is None:
            self._reattachable = self._find_reattachable()
        for group in groups:
            group = self._reattach(group)
            if group:
                self._submit_group(group)

    def _find_reattachable(self) -> dict[str, str]:
        try:
            active = self.service.list_active()
        except Exception as error:
            self.log(f"Cannot list running jobs to reattach ({error}); submitting anew.")
            return {}
        found: dict[str, str] = {}
        for remote in active:
            found.update(remote.ids_by_hash())
        return found

    def _reattach(self, group: list[RemoteJob]) -> list[RemoteJob]:
        """Adopt the group's jobs still running from an earlier run; return the rest."""
        reattachable = self._reattachable or {}
        rest = []
        for remote in group:
            remote_id = reattachable.pop(remote.eval_hash, None)
            if remote_id is None:
                rest.append(remote)
                continue
            remote.remote_id, remote.reattached = remote_id, True
            self._active[remote_id] = remote
            self._tag(remote)
            self.log(f"Reattach {remote.task_name} job {remote.job.id[:8]} to {remote_id}")
        return rest

    def _submit_group(self, group: list[RemoteJob]) -> None:
        try:
            code_file = self._code_package()
            service = self.service
            array_ok = service.supports_arrays and len(group) >= self.settings.min_array_size
            if array_ok:
                self._submit_array(group, code_file)
            else:
                for remote in group:
                    self._submit_one(remote, code_file)
        except Exception as error:
            for remote in group:
                if remote.remote_id is None:
                    self._fail(remote, error, [])

    def _submit_one(self, remote: RemoteJob, code_file: str | None) -> None:
        try:
            scratch_files.write_input(remote.paths.input, remote.job.args, remote.job.kwargs)
            command = oneshot_command(remote, remote.paths, code_file)
            remote_id = self.service.submit_job(remote, command)
        except Exception as error:
            self._fail(remote, error, [])
            return
        remote.remote_id, remote.array_id = remote_id, None
        self._active[remote_id] = remote
        self._tag(remote)

    def _submit_array(self, group: list[RemoteJob], code_file: str | None) -> None:
        paths = scratch_files.array_paths(self.settings.scratch, [r.eval_hash for r in group])
        scratch_files.write_array(paths, group)
        rank_env = getattr(self.service, "array_rank_env", None)
        command = oneshot_command(group[0], paths, code_file, array=True, array_rank_env=rank_env)
        child_ids = self.service.submit_array(group, command)
        for remote, child_id in zip(group, child_ids, strict=True):
            remote.remote_id, remote.array_id = child_id, child_id.rpartition(":")[0] or None
            self._active[child_id] = remote
            self._tag(remote)

    def _code_package(self) -> str | None:
        if not self._code_ready:
            if self.settings.code_package is not False:
                from redun.executors.code_packaging import package_code

                options = self.settings.code_package
                file = package_code(self.settings.scratch, options if options else None)
                self._code_file = file.path
            self._code_ready = True
        return self._code_file

    # -- polling and settling ---------------------------------------------------------------
    def _poll(self) -> None:
        self._last_poll = time.monotonic()
        ids = list(self._active)
        size = max(1, self.service.max_describe)
        for start in range(0, len(ids), size):
            chunk = ids[start : start + size]
            statuses = self.service.describe(chunk)
            for remote_id in chunk:
                status = statuses.get(remote_id)
                if status is None:
                    self._missing(remote_id)
                else:
                    self._misses.pop(remote_id, None)
                    if status.is_terminal:
                        self._settle(remote_id, status)
                    else:
                        self._active[remote_id].state = status.state

    def _missing(self, remote_id: str) -> None:
        misses = self._misses[remote_id] = self._misses.get(remote_id, 0) + 1
        if misses >= MAX_MISSES:
            self._misses.pop(remote_id)
            reason = f"{self.service.service_name} no longer knows job {remote_id}"
            self._settle(remote_id, RemoteStatus(FAILED, reason))

    def _settle(self, remote_id: str, status: RemoteStatus) -> None:
        remote = self._active.pop(remote_id)
        remote.state = status.state
        self._tag(remote, status.tags)
        if status.state == SUCCEEDED:
            self._succeeded(remote, status)
        elif status.cause == PREEMPTED and remote.preemptions < self.settings.preemption_retries:
            self._resubmit(remote, status)
        else:
            self._failed(remote, status)

    def _succeeded(self, remote: RemoteJob, status: RemoteStatus) -> None:
        try:
            found, result = scratch_files.read_output(remote.paths)
        except Exception as error:
            self._fail(remote, error, [])
            return
        if not found:
            error = RemoteJobError(
                f"{self._describe(remote)} succeeded but wrote no output to {remote.paths.output}"
            )
            self._fail(remote, error, self._log_tail(remote))
            return
        try:
            self.on_done(remote.job, result)
        except Exception:  # pragma: no cover - the scheduler's queue never raises
            logger.exception("executor '%s': reporting a result failed", self.name)

    def _resubmit(self, remote: RemoteJob, status: RemoteStatus) -> None:
        remote.preemptions += 1
        retries = self.settings.preemption_retries
        self.log(
            f"{self._describe(remote)} lost its host ({status.reason}); "
            f"resubmitting ({remote.preemptions}/{retries})"
        )
        remote.remote_id = remote.array_id = None
        remote.queued_at = time.monotonic() - self.settings.stale_time
        code_file = self._code_file
        self._submit_one(remote, code_file)

    def _failed(self, remote: RemoteJob, status: RemoteStatus) -> None:
        try:
            reported = scratch_files.read_error(remote.paths)
        except Exception:
            reported = None
        tail = self._log_tail(remote)
        reason = status.reason or "no reason given"
        if reported is not None:
            error, lines = reported
            lines = [*lines, f"{self.service.service_name} status reason: {reason}\n", *tail]
            self._fail(remote, error, lines)
            return
        if status.cause == TIMEOUT:
            error = RemoteJobTimeoutError(f"{self._describe(remote)} timed out: {reason}")
        elif status.cause == PREEMPTED:
            error = RemoteJobError(
                f"{self._describe(remote)} lost its host {remote.preemptions + 1} times "
                f"(preemption_retries = {self.settings.preemption_retries}): {reason}"
            )
        else:
            error = RemoteJobError(f"{self._describe(remote)} failed: {reason}")
        self._fail(remote, error, tail)

    def _tag(self, remote: RemoteJob, extra: tuple[tuple[str, Any], ...] = ()) -> None:
        """Record the service's tags for the job's current remote id (and ``extra``)."""
        if self.on_tags is None or not remote.remote_id:
            return
        try:
            tags = [*self.service.job_tags(remote.remote_id), *extra]
            if tags:
                self.on_tags(remote.job, tags)
        except Exception:  # tags are a record, never a reason to lose the job
            logger.exception("executor '%s': recording job tags failed", self.name)

    def _log_tail(self, remote: RemoteJob) -> list[str]:
        if not remote.remote_id or self.settings.log_tail_lines <= 0:
            return []
        try:
            lines = self.service.log_tail(remote.remote_id, self.settings.log_tail_lines)
        except Exception as error:
            return [f"(no log: {error})\n"]
        if not lines:
            return []
        return ["Log tail:\n", *(f"  {line.rstrip()}\n" for line in lines)]

    def _describe(self, remote: RemoteJob) -> str:
        where = f" {remote.remote_id}" if remote.remote_id else ""
        return f"{self.service.service_name} job{where} (task {remote.task_name})"

    def _fail(self, remote: RemoteJob, error: BaseException, lines: list[str]) -> None:
        try:
            self.on_failed(remote.job, error, lines)
        except Exception:  # pragma: no cover - the scheduler's queue never raises
            logger.exception("executor '%s': reporting a failure failed", self.name)
