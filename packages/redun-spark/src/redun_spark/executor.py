"""The Spark executor (``[executors.NAME] type = spark``): tasks run as Spark jobs.

``mode = session`` (the default for ``local[...]`` masters) runs each task on a worker
thread of the scheduler's process with one SparkSession shared by every Spark task, so
the JVM starts once. ``mode = submit`` (the default for cluster masters) runs each task
as its own ``spark-submit`` application through core's remote-job lifecycle; see
:mod:`redun_spark.submit`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from redun.current import set_current_job
from redun.executors.remote import JobService, RemoteExecutor
from redun.executors.thread_workers import ThreadWorkers
from redun.file.urls import get_proto

from redun_spark.settings import SESSION_MODE, SparkSettings, parse_settings

if TYPE_CHECKING:
    from pyspark.sql import SparkSession
    from redun.scheduler import Job, Scheduler

logger = logging.getLogger("redun.spark")


class SparkExecutor(RemoteExecutor):
    """Run tasks as Spark jobs on any Spark master.

    Config keys: ``master`` (``local[*]``), ``mode`` (session | submit), ``deploy_mode``
    (client | cluster), ``spark_conf`` (a JSON object of Spark properties) and
    ``conf.KEY = value`` keys, ``py_files``, ``packages``, ``spark_submit`` (path of the
    spark-submit to use), ``scratch`` (any redun file system URL; default
    ``<config dir>/spark``), ``app_name``, ``max_workers`` (session-mode tasks at once,
    4). Submit mode also reads the keys every remote executor reads
    (``job_monitor_interval``, default 1 s here; ``on_interrupt``; ``code_package``,
    ``code_includes``, ``code_excludes``; ``log_tail_lines``).
    """

    executor_type: ClassVar[str] = "spark"
    default_poll_interval: ClassVar[float] = 1.0
    # Spark has no array jobs: nothing is gained by holding a job back for its wave.
    default_stale_time: ClassVar[float] = 0.0

    def __init__(
        self,
        name: str,
        scheduler: Scheduler | None = None,
        config: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(name, scheduler=scheduler, config=config)
        self.settings: SparkSettings = parse_settings(name, self.config)
        self._lock = threading.Lock()
        self._threads: ThreadWorkers | None = None
        self._start_error: BaseException | None = None

    @property
    def mode(self) -> str:
        return self.settings.mode

    def scratch_root(self) -> str:
        """``scratch`` from the section, else ``spark/`` beside the repository's redun.ini."""
        if self.settings.scratch:
            return self.settings.scratch.rstrip("/")
        config = getattr(self._scheduler, "config", None)
        config_dir = getattr(config, "config_dir", None)
        if config_dir:
            return os.path.join(config_dir, "spark")
        return os.path.join(tempfile.gettempdir(), "redun-spark")

    def start(self) -> None:
        """Spark itself starts on the first job, so runs that never use it pay nothing."""
        self._start_error = None

    def stop(self) -> None:
        """Wait for session-mode tasks (the session stays up for later runs in this
        process) and stop monitoring submitted applications."""
        with self._lock:
            threads, self._threads = self._threads, None
        if threads is not None:
            threads.shutdown()
        super().stop()

    def submit(self, job: Job) -> None:
        if self.settings.mode == SESSION_MODE:
            self._workers().submit(self._run_in_session, job)
        else:
            super().submit(job)

    def submit_script(self, job: Job) -> None:
        from redun.errors import ExecutorError

        self.scheduler.reject_job(
            job,
            ExecutorError(
                f"executor '{self.name}' (type spark) runs Python tasks, not script tasks; "
                "use an executor of type local for scripts"
            ),
        )

    # -- submit mode --------------------------------------------------------------------
    def make_service(self) -> JobService:
        """spark-submit processes, checked for Java and spark-submit before the first."""
        from redun_spark.session import find_java
        from redun_spark.submit import SparkSubmitService, find_spark_submit, submit_env

        where = f"[{self.section_name}]"
        find_java()
        spark_submit = find_spark_submit(self.settings.spark_submit, where)
        return SparkSubmitService(
            self.settings, spark_submit, self._state_dir(), submit_env(self.settings)
        )

    def _state_dir(self) -> str:
        """Where spark-submit processes keep pid, log and exit code: beside a local
        scratch, else in a temporary directory named after the scratch URL."""
        scratch = self.scratch_root()
        if get_proto(scratch) in ("local", "file"):
            return os.path.join(scratch.removeprefix("file://"), "submit")
        digest = hashlib.sha1(scratch.encode()).hexdigest()[:16]
        return os.path.join(tempfile.gettempdir(), "redun-spark-submit", digest)

    # -- session mode -------------------------------------------------------------------
    def session(self) -> SparkSession:
        """The process's SparkSession, started with this executor's settings if needed."""
        from redun_spark.session import get_or_start_session

        settings = self.settings
        where = f"[{self.section_name}]"
        return get_or_start_session(
            settings.master, settings.app_name, settings.session_conf(), where
        )

    def _workers(self) -> ThreadWorkers:
        with self._lock:
            if self._threads is None:
                self._threads = ThreadWorkers(self.settings.max_workers, f"redun-{self.name}")
            return self._threads

    def _run_in_session(self, job: Job) -> None:
        from redun_spark.session import task_session

        try:
            if self._start_error is not None:
                # Spark failed to start for an earlier job of this run: fail fast with
                # the same message instead of starting a JVM for every job.
                raise self._start_error
            try:
                session = self.session()
            except Exception as error:
                self._start_error = error
                raise
            with task_session(session):
                set_current_job(self.scheduler, job)
                result = job.task.func(*job.args, **job.kwargs)
        except BaseException as error:  # every failure reaches the scheduler
            self._report(job, error=error)
            return
        self._report(job, result=result)

    def _report(self, job: Job, result: Any = None, error: BaseException | None = None) -> None:
        try:
            if error is None:
                self.scheduler.done_job(job, result)
            else:
                self.scheduler.reject_job(job, error, error_traceback=error.__traceback__)
        except Exception:
            logger.exception("executor '%s' could not report job %s", self.name, job)
