"""A live per-task job-status table on an interactive terminal (rich), instead of
upstream's periodic status dump. Off when stderr is not a TTY, so logs stay clean."""

from __future__ import annotations

import sys
import time
from typing import Any

from redun.scheduler.report import STATUSES, StatusReport


class LiveStatus:
    """Refreshes at most every ``interval`` seconds from the scheduler thread."""

    def __init__(self, report: StatusReport, interval: float = 0.5, enabled: bool | None = None):
        self.report = report
        self.interval = interval
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._live: Any = None
        self._last = 0.0

    def _table(self) -> Any:
        from rich.table import Table

        table = Table(title="redun jobs", expand=False)
        table.add_column("task")
        for status in (*STATUSES, "TOTAL"):
            table.add_column(status.lower(), justify="right")
        for name, values in self.report.rows():
            table.add_row(name, *(str(v) for v in values))
        return table

    def start(self) -> None:
        if not self.enabled:
            return
        from rich.console import Console
        from rich.live import Live

        self._live = Live(
            self._table(), console=Console(stderr=True), auto_refresh=False, transient=True
        )
        self._live.start()

    def tick(self) -> None:
        if self._live is None:
            return
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._last = now
            self._live.update(self._table(), refresh=True)

    def stop(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None
