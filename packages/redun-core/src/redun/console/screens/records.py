"""Value and Task screens: a stored value (who made it, who used it) and a task version."""

from __future__ import annotations

from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from redun.console.formatting import format_time
from redun.console.reader import record_path
from redun.console.screens.base import RedunScreen
from redun.console.widgets import LinkTable, field, lines, status_text


class ValueScreen(RedunScreen):
    """``values/<hash>``: the value in full, and the jobs that produced or consumed it."""

    def compose_body(self) -> ComposeResult:
        self.summary = Static(id="value-summary")
        self.text = Static(id="value-text")
        self.links = LinkTable(["Link", "Job", "Status", "Task"], id="value-links")
        with VerticalScroll():
            yield self.summary
            yield self.text
            yield self.links

    def load(self) -> None:
        detail = self.reader.value(self.route.record_id or "")
        self.summary.update(
            lines(
                Text.assemble(("Value ", "bold"), detail.value_hash),
                field("Type", detail.type_name),
            )
        )
        self.text.update(Text(detail.text))
        rows = [
            (
                record_path("Job", job.id),
                [relation, job.id[:8], status_text(job.status), job.task_name],
            )
            for relation, jobs in (("Produced by", detail.produced_by), ("Used by", detail.used_by))
            for job in jobs
        ]
        self.links.set_rows(rows)
        self.links.focus()


class TaskScreen(RedunScreen):
    """``tasks/<hash>``: one task version's source and its recent jobs."""

    def compose_body(self) -> ComposeResult:
        self.summary = Static(id="task-summary")
        self.source = Static(id="task-source")
        self.jobs = LinkTable(["Job", "Status", "Started", "Execution"], id="task-jobs")
        with VerticalScroll():
            yield self.summary
            yield self.source
            yield self.jobs

    def load(self) -> None:
        detail = self.reader.task(self.route.record_id or "")
        self.summary.update(
            lines(
                Text.assemble(("Task ", "bold"), detail.hash, " ", (detail.fullname, "bold")),
                field("Jobs", str(len(detail.jobs))),
            )
        )
        self.source.update(Syntax(detail.source or "# no source recorded", "python"))
        self.jobs.set_rows(
            (
                record_path("Job", job.id),
                [
                    job.id[:8],
                    status_text(job.status),
                    format_time(job.start_time),
                    job.execution_id[:8],
                ],
            )
            for job in detail.jobs
        )
        self.jobs.focus()
