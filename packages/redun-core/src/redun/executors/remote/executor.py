"""``RemoteExecutor``: an Executor whose jobs a remote service runs through the lifecycle.

A plugin's executor subclasses it, names its ``executor_type`` and its scratch key
(``s3_scratch`` for AWS Batch) and builds its :class:`JobService` in ``make_service``;
everything else (queueing, arrays, polling, reattaching, preemption, interrupts,
reading results) is core's. Config keys every remote executor reads:

``job_monitor_interval`` (seconds between polls, 5), ``job_stale_time`` (seconds a
ready job waits for others of its group, 3), ``min_array_size`` (5),
``max_array_size`` (1000), ``preemption_retries`` (3), ``on_interrupt`` (``detach`` or
``terminate``), ``code_package``/``code_includes``/``code_excludes``, ``log_tail_lines``
(20).
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from redun.config_values import parse_choice, parse_float
from redun.errors import ConfigError
from redun.executors.base import Executor
from redun.executors.remote.lifecycle import (
    ON_INTERRUPT,
    LifecycleSettings,
    RemoteJobLifecycle,
)
from redun.executors.remote.service import JobService

if TYPE_CHECKING:
    from redun.scheduler import Job, Scheduler


class RemoteExecutor(Executor):
    """Base class of executors that run jobs on a remote service via ``redun oneshot``."""

    scratch_key: ClassVar[str] = "scratch"
    # Defaults a subclass may change (upstream's AWS Batch values).
    default_poll_interval: ClassVar[float] = 5.0
    default_stale_time: ClassVar[float] = 3.0

    def __init__(
        self,
        name: str,
        scheduler: Scheduler | None = None,
        config: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(name, scheduler=scheduler, config=config)
        self._lifecycle: RemoteJobLifecycle | None = None

    @abstractmethod
    def make_service(self) -> JobService:
        """Build the service calls from this executor's config (once, on first use)."""

    # -- config ---------------------------------------------------------------------------
    def require(self, key: str) -> str:
        """A config key the executor cannot work without, or a one-line ConfigError."""
        value = self.config.get(key)
        if value is None or str(value).strip() == "":
            raise ConfigError(f"[{self.section_name}] is missing '{key}'; set it in redun.ini")
        return str(value)

    def config_float(self, key: str, default: float, minimum: float = 0.0) -> float:
        """A number (seconds) from the config section, or ``default`` when absent."""
        if key not in self.config:
            return default
        source = getattr(self.config, "source", None)
        value = parse_float(self.config[key], key, self.section_name, source)
        if value < minimum:
            raise ConfigError(
                f"invalid {key} {value} in [{self.section_name}]: expected >= {minimum}"
            )
        return value

    def scratch_root(self) -> str:
        return self.require(self.scratch_key).rstrip("/")

    def lifecycle_settings(self) -> LifecycleSettings:
        from redun.executors.code_packaging import parse_code_package_config

        on_interrupt = parse_choice(
            str(self.config.get("on_interrupt", "detach")),
            "on_interrupt",
            self.section_name,
            ON_INTERRUPT,
            getattr(self.config, "source", None),
        )
        return LifecycleSettings(
            scratch=self.scratch_root(),
            poll_interval=self.config_float("job_monitor_interval", self.default_poll_interval),
            stale_time=self.config_float("job_stale_time", self.default_stale_time),
            min_array_size=self.config_int("min_array_size", 5, minimum=0),
            max_array_size=self.config_int("max_array_size", 1000, minimum=1),
            preemption_retries=self.config_int("preemption_retries", 3, minimum=0),
            on_interrupt=on_interrupt,
            code_package=parse_code_package_config(self.config),
            log_tail_lines=self.config_int("log_tail_lines", 20, minimum=0),
        )

    # -- lifecycle --------------------------------------------------------------------------
    @property
    def lifecycle(self) -> RemoteJobLifecycle:
        if self._lifecycle is None:
            settings = self.lifecycle_settings()
            self._lifecycle = RemoteJobLifecycle(
                self.name,
                self.make_service(),
                settings,
                on_done=self._report_done,
                on_failed=self._report_failed,
                log=self.log,
                on_tags=self._report_tags,
            )
        return self._lifecycle

    def submit(self, job: Job) -> None:
        self.lifecycle.submit(job, script=False)

    def submit_script(self, job: Job) -> None:
        self.lifecycle.submit(job, script=True)

    def interrupt(self) -> None:
        if self._lifecycle is not None:
            self._lifecycle.interrupt()

    def stop(self) -> None:
        if self._lifecycle is not None:
            self._lifecycle.stop()

    def _report_done(self, job: Job, result: Any) -> None:
        self.scheduler.done_job(job, result)

    def _report_failed(self, job: Job, error: BaseException, lines: list[str]) -> None:
        self.scheduler.reject_job(job, error, error_traceback=lines)

    def _report_tags(self, job: Job, tags: list[tuple[str, Any]]) -> None:
        # A stand-in scheduler (redun launch's) records nothing.
        add_job_tags = getattr(self.scheduler, "add_job_tags", None)
        if add_job_tags is not None:
            add_job_tags(job, tags)
