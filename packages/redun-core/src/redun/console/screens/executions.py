"""The executions list: newest first, filtered by status and free text."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult

from redun.console.formatting import format_argv, format_tags, format_time
from redun.console.reader import record_path
from redun.console.screens.base import RedunScreen
from redun.console.widgets import LinkTable, status_text


class ExecutionsScreen(RedunScreen):
    """``executions [--status S] [--find TEXT]``."""

    def compose_body(self) -> ComposeResult:
        self.table = LinkTable(
            ["Execution", "Status", "Started", "Task", "Command", "Tags"], id="executions-table"
        )
        yield self.table

    def load(self) -> None:
        statuses = [s.upper() for s in self.route.values("status")]
        infos = self.reader.executions(statuses, self.route.value("find"))
        self.table.set_rows(
            (
                record_path("Execution", info.id),
                [
                    info.id[:8],
                    status_text(info.status),
                    format_time(info.job.start_time),
                    Text(info.job.task_name, style="bold"),
                    format_argv(info.args),
                    format_tags(info.tags),
                ],
            )
            for info in infos
        )
        self.table.focus()
