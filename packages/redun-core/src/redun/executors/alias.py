"""The alias executor: another name for an executor, resolved when first used.

Tasks name their executor; aliasing lets several names share one pool (and its worker
limit) while each stays separately re-configurable in redun.ini::

    [executors.heavy]
    type = alias
    target = default
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from redun.errors import ConfigError, ExecutorError
from redun.executors.base import Executor

if TYPE_CHECKING:
    from redun.scheduler import Job, Scheduler


class AliasExecutor(Executor):
    """Forward every job to the executor named by ``target``.

    The target is looked up in ``scheduler.executors`` on first use, not at construction,
    because executors are built in config order and the target may come later. Starting
    and stopping are left to the scheduler, which owns the target's lifecycle.
    """

    executor_type: ClassVar[str] = "alias"

    def __init__(
        self,
        name: str,
        scheduler: Scheduler | None = None,
        config: Mapping[str, Any] | None = None,
        target: Executor | None = None,
    ) -> None:
        if target is not None and config:
            # Upstream raises AssertionError here too; code written against it catches that.
            raise AssertionError("Exactly one of `target` or `config` should be provided")
        super().__init__(name, scheduler=scheduler, config=config)
        if target is not None:
            self.target_name = target.name
        elif self.config.get("target"):
            self.target_name = str(self.config["target"])
        else:
            raise ConfigError(
                f"[{self.section_name}] is an alias without a target: add 'target = NAME'"
            )
        self._target: Executor | None = None

    @property
    def target(self) -> Executor:
        """The executor this alias forwards to (raises ExecutorError if unknown)."""
        if self._target is None:
            seen = [self.name]
            executor: Executor = self
            while isinstance(executor, AliasExecutor):
                executors = getattr(self.scheduler, "executors", {})
                if executor.target_name not in executors:
                    known = ", ".join(sorted(executors)) or "none"
                    # Upstream's wording first: users and tests match on it.
                    raise ExecutorError(
                        f"Could not find executor `{executor.target_name}` from options: "
                        f"{known} (alias executor '{executor.name}'; fix target in "
                        f"[{executor.section_name}])"
                    )
                executor = executors[executor.target_name]
                if executor.name in seen:
                    chain = " -> ".join([*seen, executor.name])
                    raise ExecutorError(f"alias executors form a cycle: {chain}")
                seen.append(executor.name)
            self._target = executor
        return self._target

    # An unknown target raises ExecutorError from submit, as upstream's alias does; the
    # scheduler fails the job with it.
    def submit(self, job: Job) -> None:
        self.target.submit(job)

    def submit_script(self, job: Job) -> None:
        self.target.submit_script(job)

    def supports_async(self) -> bool:
        try:
            return self.target.supports_async()
        except ExecutorError:
            return False

    def scratch_root(self) -> str:
        return self.target.scratch_root()
