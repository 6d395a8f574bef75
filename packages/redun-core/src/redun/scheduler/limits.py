"""Named resource limits (``[limits]`` in redun.ini, ``@task(limits=...)``)."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from typing import Any

from redun.errors import ConfigError


def parse_job_limits(limits: Any) -> dict[str, int]:
    """A task's ``limits`` option: a list (one unit each) or a dict of units."""
    if not limits:
        return {}
    if isinstance(limits, Mapping):
        return {str(name): int(units) for name, units in limits.items()}
    if isinstance(limits, (list, tuple, set)):
        return {str(name): 1 for name in limits}
    raise ConfigError(f"invalid task limits {limits!r}: use a list of names or a dict of counts")


class Limits:
    """Tracks resource use; jobs over a limit wait in FIFO order until units free up."""

    def __init__(self, capacities: Mapping[str, Any] | None = None) -> None:
        self.capacity: dict[str, int] = {}
        for name, value in (capacities or {}).items():
            try:
                self.capacity[name] = int(value)
            except (TypeError, ValueError) as error:
                raise ConfigError(
                    f"invalid limit '{name} = {value}' in [limits]: expected an integer"
                ) from error
        self.used: dict[str, int] = {}
        self.waiting: deque = deque()

    def _cap(self, name: str) -> int:
        return self.capacity.get(name, 1)

    def try_acquire(self, limits: Mapping[str, int]) -> bool:
        for name, units in limits.items():
            if self.used.get(name, 0) + units > max(self._cap(name), units):
                return False
        for name, units in limits.items():
            self.used[name] = self.used.get(name, 0) + units
        return True

    def release(self, limits: Mapping[str, int]) -> None:
        for name, units in limits.items():
            self.used[name] = self.used.get(name, 0) - units
