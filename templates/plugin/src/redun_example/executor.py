"""``type = example_local``: runs each job on a worker thread of the redun process.

A starting point for an executor that hands jobs to another service: replace
:meth:`ExampleExecutor._run` with a submission to that service, and report each
outcome with ``scheduler.done_job`` or ``scheduler.reject_job`` from whatever thread
learns it.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, ClassVar

from redun.executors.base import Executor

if TYPE_CHECKING:
    from redun.scheduler import Job, Scheduler


class ExampleExecutor(Executor):
    """Run jobs in a thread pool named after the executor type.

    Config keys (the ``[executors.NAME]`` section of redun.ini): ``max_workers``
    (default 4). Worker threads are named ``example_local_0``, ``example_local_1``, ...
    so a task can tell which executor ran it.
    """

    executor_type: ClassVar[str] = "example_local"

    def __init__(
        self,
        name: str,
        scheduler: Scheduler | None = None,
        config: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(name, scheduler=scheduler, config=config)
        self.max_workers = self.config_int("max_workers", 4, minimum=1)
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Create the worker pool. Idempotent: the scheduler may call it more than once."""
        self._get_pool()

    def stop(self) -> None:
        """Wait for running jobs and release the pool. Idempotent."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)

    def submit(self, job: Job) -> None:
        """Queue the job and return at once; the scheduler hears back from ``_run``."""
        self._get_pool().submit(self._run, job)

    def _get_pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(
                    max_workers=self.max_workers, thread_name_prefix=self.executor_type
                )
            return self._pool

    def _run(self, job: Job) -> None:
        self.log(f"running {job.task.fullname} on {threading.current_thread().name}")
        try:
            result = job.task.func(*job.args, **job.kwargs)
        except Exception as error:  # the task's failure is the job's result
            self.scheduler.reject_job(job, error, error_traceback=error.__traceback__)
            return
        self.scheduler.done_job(job, result)
