"""The executor contract: how the scheduler hands a job to compute and hears back.

An executor is built from its ``[executors.NAME]`` section, receives jobs through
``submit``, and reports each outcome, from any thread, through the scheduler's
``done_job(job, result)`` or ``reject_job(job, error, error_traceback=None)``. ``submit``
never waits for the job, so one scheduler thread can keep thousands of jobs in flight.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from redun.config import parse_bool, parse_int
from redun.errors import ConfigError, ExecutorError
from redun.plugins.registry import get_executor_class

if TYPE_CHECKING:
    from redun.scheduler import Job, Scheduler

logger = logging.getLogger("redun.executors")
ExecutorClass = TypeVar("ExecutorClass", bound="type[Executor]")


class Executor(ABC):
    """Base class of every executor.

    Subclasses set ``executor_type`` (the ``type =`` value in redun.ini) and implement
    ``submit``. ``config`` maps the section's keys to strings; use :meth:`config_int`
    and :meth:`config_bool` to parse them with errors that name the section.
    """

    executor_type: ClassVar[str] = ""

    def __init__(
        self,
        name: str,
        scheduler: Scheduler | None = None,
        config: Mapping[str, Any] | None = None,
    ) -> None:
        self.name = name
        self._scheduler = scheduler
        self.config: Mapping[str, Any] = config if config is not None else {}

    @property
    def scheduler(self) -> Scheduler:
        """The scheduler this executor reports to; set by ``Scheduler.add_executor``."""
        if self._scheduler is None:
            raise ExecutorError(
                f"executor '{self.name}' has no scheduler; add it with Scheduler.add_executor()"
            )
        return self._scheduler

    @scheduler.setter
    def scheduler(self, scheduler: Scheduler | None) -> None:
        self._scheduler = scheduler

    def set_scheduler(self, scheduler: Scheduler) -> None:
        """Attach the scheduler (upstream spelling)."""
        self._scheduler = scheduler

    @property
    def section_name(self) -> str:
        """The config section this executor was built from, for error messages."""
        return str(getattr(self.config, "name", f"executors.{self.name}"))

    def config_int(self, key: str, default: int, minimum: int | None = None) -> int:
        """An integer option from the config section, or ``default`` when absent."""
        if key not in self.config:
            return default
        source = getattr(self.config, "source", None)
        return parse_int(self.config[key], key, self.section_name, source, minimum=minimum)

    def config_bool(self, key: str, default: bool) -> bool:
        """A boolean option from the config section, or ``default`` when absent."""
        if key not in self.config:
            return default
        source = getattr(self.config, "source", None)
        return parse_bool(self.config[key], key, self.section_name, source)

    def log(self, *messages: Any, **kwargs: Any) -> None:
        """Log through the scheduler (so it reaches the user's console) when attached."""
        if self._scheduler is not None and hasattr(self._scheduler, "log"):
            self._scheduler.log(f"Executor[{self.name}]:", *messages, **kwargs)
        else:
            logger.info("Executor[%s]: %s", self.name, " ".join(map(str, messages)))

    def start(self) -> None:
        """Acquire resources (pools, connections). Idempotent."""
        return None

    def stop(self) -> None:
        """Release resources and join workers. Idempotent."""
        return None

    def interrupt(self) -> None:
        """The user pressed Ctrl-C once: stop starting work; the scheduler calls this once,
        from its own thread, then keeps recording results for ``interrupt_grace`` seconds.

        Never start a job submitted earlier and not yet started: report it through
        ``scheduler.reject_job(job, JobInterrupted(...))`` (then the scheduler need not
        wait out the grace period for it), or drop it silently (it is marked interrupted
        when the grace period ends). Jobs already running may finish and report as
        usual. A job body about to start should also check ``scheduler.is_interrupted``,
        set by the signal handler before this call. The local executor drops its queues;
        remote executors detach from or terminate the jobs they submitted (their
        ``on_interrupt`` key).
        """
        return None

    @abstractmethod
    def submit(self, job: Job) -> None:
        """Start running ``job``; report its outcome through the scheduler's callbacks."""

    def submit_script(self, job: Job) -> None:
        """Start running a ``script=True`` job; executors without shell support reject it."""
        self.scheduler.reject_job(
            job,
            ExecutorError(
                f"executor '{self.name}' ({type(self).__name__}) cannot run script tasks; "
                "use an executor of type local"
            ),
        )

    def supports_async(self) -> bool:
        """Whether ``async def`` tasks may be submitted to this executor."""
        return False

    def scratch_root(self) -> str:
        """The root of this executor's scratch space (remote executors stage jobs there)."""
        raise ExecutorError(f"executor '{self.name}' has no scratch space")


def register_executor(
    executor_type: str, class_path: str | None = None
) -> Callable[[ExecutorClass], ExecutorClass] | None:
    """Register an executor class outside any plugin (upstream compatibility).

    ``register_executor("mine", "pkg.mod.MyExecutor")`` registers a lazily imported class;
    ``@register_executor("mine")`` decorates a class. Prefer the ``redun_executors`` hook
    in new code: it is discovered without importing your module first.
    """
    from redun.plugins.registry import EXECUTORS, register_extra

    if class_path is not None:
        register_extra(EXECUTORS, executor_type, class_path)
        return None

    def decorate(cls: ExecutorClass) -> ExecutorClass:
        register_extra(EXECUTORS, executor_type, cls)
        return cls

    return decorate


def get_executor_from_config(
    executors_config: Mapping[str, Mapping[str, Any]],
    executor_name: str,
    scheduler: Scheduler | None = None,
) -> Executor:
    """Build the executor ``executor_name`` from the ``[executors]`` part of a config.

    The one place executors are built from redun.ini (the scheduler builds its own
    through it): a ``class = pkg.mod.Cls`` key overrides the ``type`` lookup (upstream
    0.46).
    """
    if executor_name not in executors_config:
        known = ", ".join(sorted(executors_config)) or "none"
        raise ExecutorError(
            f"unknown executor '{executor_name}' (configured: {known}); add an "
            f"[executors.{executor_name}] section to redun.ini"
        )
    section = dict(executors_config[executor_name])
    executor_class = _executor_class(executor_name, section)
    return executor_class(executor_name, scheduler=scheduler, config=section)


def get_executors_from_config(
    executors_config: Mapping[str, Mapping[str, Any]],
    scheduler: Scheduler | None = None,
) -> Iterator[Executor]:
    """Build every executor of the ``[executors]`` part of a config."""
    for name in executors_config:
        yield get_executor_from_config(executors_config, name, scheduler)


def _executor_class(name: str, section: Mapping[str, Any]) -> type[Executor]:
    where = f"[executors.{name}]"
    class_path = section.get("class")
    if class_path:
        import importlib

        module_name, _, attr = str(class_path).rpartition(".")
        try:
            return getattr(importlib.import_module(module_name), attr)
        except (ImportError, AttributeError, ValueError) as exc:
            raise ExecutorError(f"cannot import class {class_path!r} in {where}: {exc}") from exc
    if "type" not in section:
        raise ConfigError(f"{where} has no type: add e.g. 'type = local'")
    return get_executor_class(str(section["type"]), where)  # type: ignore[return-value]
