"""The local executor: jobs run in a thread pool, or in a process pool for isolation.

Thread mode is the default because most workflow steps wait on I/O or subprocesses and a
thread costs nothing to start. Process mode (``mode = process`` in the section, or the
``mode`` task option per task) runs each job in a worker process that re-imports the
task's module; see :mod:`redun.executors.process_worker`. Pools start on first use, so
configuring a process executor costs nothing until a job needs it.
"""

from __future__ import annotations

import inspect
import logging
import os
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from redun.config import parse_choice
from redun.current import set_current_job
from redun.errors import ExecutorError, JobInterrupted
from redun.executors.base import Executor
from redun.executors.thread_workers import ThreadWorkers

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from redun.scheduler import Job, Scheduler

THREAD_MODE = "thread"
PROCESS_MODE = "process"
MODES = (THREAD_MODE, PROCESS_MODE)
OLD_MODES = {"threads": THREAD_MODE, "processes": PROCESS_MODE}
START_METHODS = ("fork", "spawn", "forkserver")

logger = logging.getLogger("redun.executors")
NOT_STARTED = "interrupted by Ctrl-C before the job started; rerun to run it"


class LocalExecutor(Executor):
    """Run jobs on this machine in threads or processes.

    Config keys: ``mode`` (thread | process; old spellings threads/processes accepted),
    ``max_workers`` (20), ``start_method`` (fork | spawn | forkserver, default forkserver,
    which is safe with threads and on macOS), ``scratch`` (default ``<tmp>/redun``).
    """

    executor_type: ClassVar[str] = "local"
    MODES = MODES
    START_METHODS = START_METHODS
    DEFAULT_START_METHOD = "forkserver"

    def __init__(
        self,
        name: str,
        scheduler: Scheduler | None = None,
        config: Mapping[str, Any] | None = None,
        mode: str = THREAD_MODE,
    ) -> None:
        super().__init__(name, scheduler=scheduler, config=config)
        source = getattr(self.config, "source", None)
        self.mode = self._parse_mode(self.config.get("mode", mode))
        self.max_workers = self.config_int("max_workers", 20, minimum=1)
        self.start_method = parse_choice(
            self.config.get("start_method", self.DEFAULT_START_METHOD),
            "start_method",
            self.section_name,
            START_METHODS,
            source,
        )
        self._scratch_root: str | None = self.config.get("scratch") or None
        self._lock = threading.Lock()
        self._thread_pool: ThreadWorkers | None = None
        self._process_pool: ProcessPoolExecutor | None = None
        self._interrupted = False
        # Process-mode jobs submitted and not yet reported, for interrupt() to cancel.
        self._futures: dict[Future, Job] = {}

    def _parse_mode(self, value: Any) -> str:
        value = OLD_MODES.get(str(value), str(value))
        source = getattr(self.config, "source", None)
        return parse_choice(value, "mode", self.section_name, MODES, source)

    def supports_async(self) -> bool:
        return True

    def scratch_root(self) -> str:
        if self._scratch_root is None:
            import tempfile  # only script tasks need a scratch directory

            self._scratch_root = os.path.join(tempfile.gettempdir(), "redun")
        return self._scratch_root

    def start(self) -> None:
        """Pools start lazily on the first job of each mode; nothing to do here."""
        self._interrupted = False

    def stop(self) -> None:
        """Wait for running jobs and shut both pools down. Idempotent.

        After ``interrupt()`` nothing is waited for: the scheduler has already given
        running jobs their grace period, and the user asked to stop.
        """
        with self._lock:
            thread_pool, self._thread_pool = self._thread_pool, None
            process_pool, self._process_pool = self._process_pool, None
        wait = not self._interrupted
        if thread_pool is not None:
            thread_pool.shutdown(wait=wait)
        if process_pool is not None:
            process_pool.shutdown(wait=wait, cancel_futures=not wait)

    def interrupt(self) -> None:
        """Ctrl-C: jobs queued behind the busy workers never start; each is reported
        back as interrupted at once. Running bodies are left to finish."""
        with self._lock:
            self._interrupted = True
            thread_pool = self._thread_pool
            futures = list(self._futures)
        if thread_pool is not None:
            for func, args in thread_pool.drain():
                if func == self._run_in_thread:
                    self._reject(args[0], JobInterrupted(NOT_STARTED), None)
        for future in futures:
            future.cancel()  # a queued one is reported by _on_process_done

    def submit(self, job: Job) -> None:
        self._submit(job, script=False)

    def submit_script(self, job: Job) -> None:
        self._submit(job, script=True)

    def _submit(self, job: Job, script: bool) -> None:
        try:
            mode = self._job_mode(job)
            if mode == PROCESS_MODE:
                from redun.executors.process_worker import make_payload, run_payload

                payload = make_payload(job.task, job.args, job.kwargs, script=script)
                future = self._processes().submit(run_payload, payload)
                with self._lock:
                    self._futures[future] = job
                future.add_done_callback(lambda f: self._on_process_done(job, f))
            else:
                self._threads().submit(self._run_in_thread, job, script)
        except Exception as error:
            self._reject(job, error, error.__traceback__)

    def _job_mode(self, job: Job) -> str:
        mode = job.get_option("mode", self.mode)
        mode = OLD_MODES.get(mode, mode)
        if mode not in MODES:
            raise ExecutorError(
                f"unknown mode {mode!r} for task '{job.task.fullname}': expected thread or process"
            )
        return mode

    def _threads(self) -> ThreadWorkers:
        pool = self._thread_pool
        if pool is None:
            with self._lock:
                if self._thread_pool is None:
                    self._thread_pool = ThreadWorkers(self.max_workers, f"redun-{self.name}")
                pool = self._thread_pool
        return pool

    def _processes(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._process_pool is None:
                # Imported on first use: thread-mode runs never pay for multiprocessing.
                import multiprocessing
                from concurrent.futures.process import ProcessPoolExecutor

                self._process_pool = ProcessPoolExecutor(
                    max_workers=self.max_workers,
                    mp_context=multiprocessing.get_context(self.start_method),
                )
            return self._process_pool

    def _run_in_thread(self, job: Job, script: bool) -> None:
        if self._scheduler is not None and getattr(self._scheduler, "is_interrupted", False):
            # Ctrl-C came after this job was queued: its body must not start.
            self._reject(job, JobInterrupted(NOT_STARTED), None)
            return
        try:
            set_current_job(self.scheduler, job)
            if script:
                from redun.scripting import exec_script, get_task_command

                result = exec_script(get_task_command(job.task, job.args, job.kwargs))
            else:
                result = job.task.func(*job.args, **job.kwargs)
                if inspect.iscoroutine(result):
                    import asyncio  # only async tasks pay for asyncio

                    result = asyncio.run(_await(result))
        except BaseException as error:  # report every failure, even SystemExit
            self._reject(job, error, error.__traceback__)
            return
        self._done(job, result)

    def _on_process_done(self, job: Job, future: Future) -> None:
        with self._lock:
            self._futures.pop(future, None)
        if future.cancelled():
            self._reject(job, JobInterrupted(NOT_STARTED), None)
            return
        try:
            from redun.executors.process_worker import read_result

            ok, value, lines = read_result(future.result())
        except BaseException as error:  # broken pool, cancelled future
            self._reject(job, error, error.__traceback__)
            return
        if ok:
            self._done(job, value)
        else:
            self._reject(job, value, lines)

    def _done(self, job: Job, result: Any) -> None:
        try:
            self.scheduler.done_job(job, result)
        except Exception:
            logger.exception("executor '%s' could not report job %s done", self.name, job)

    def _reject(self, job: Job, error: BaseException, error_traceback: Any) -> None:
        try:
            self.scheduler.reject_job(job, error, error_traceback=error_traceback)
        except Exception:
            logger.exception("executor '%s' could not report job %s failed", self.name, job)


async def _await(awaitable: Any) -> Any:
    return await awaitable
