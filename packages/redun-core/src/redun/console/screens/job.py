"""One job: its call, arguments, result or error, upstream dataflow and task source."""

from __future__ import annotations

from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from redun.console.formatting import format_duration, format_tags, format_time
from redun.console.reader import JobDetail, record_path
from redun.console.screens.base import RedunScreen
from redun.console.widgets import LinkTable, field, lines, status_text


class JobScreen(RedunScreen):
    """``jobs/<id>``: everything recorded about one job, with links to related records."""

    def compose_body(self) -> ComposeResult:
        self.summary = Static(id="job-summary")
        self.args = Static(id="job-args")
        self.result = Static(id="job-result")
        self.traceback = Static(id="job-traceback")
        self.dataflow = Static(id="job-dataflow")
        self.links = LinkTable(["Link", "Record"], id="job-links")
        self.source = Static(id="job-source")
        with VerticalScroll():
            yield self.summary
            yield self.args
            yield self.result
            yield self.traceback
            yield self.dataflow
            yield self.links
            yield self.source

    def load(self) -> None:
        detail = self.reader.job(self.route.record_id or "")
        job = detail.job
        self.summary.update(
            lines(
                Text.assemble(
                    ("Job ", "bold"),
                    job.id,
                    " ",
                    status_text(job.status),
                    " ",
                    (job.task_name, "bold"),
                ),
                field("Execution", detail.execution.id),
                field("Parent job", job.parent_id or "none (root job)"),
                field("Started", format_time(job.start_time)),
                field("Ended", format_time(job.end_time) if job.end_time else "not finished"),
                field("Duration", format_duration(job.start_time, job.end_time)),
                field("Cached", "yes" if job.cached else "no"),
                field("CallNode", job.call_hash or "unknown (job has not finished)"),
                field("Tags", format_tags(detail.job_tags) or "none"),
                field("Exec tags", format_tags(detail.execution.tags) or "none"),
            )
        )
        self.args.update(_args_text(detail))
        self.result.update(
            field("Raised", detail.error, style="red")
            if detail.error
            else field("Result", detail.result)
        )
        self.traceback.display = bool(detail.error)
        if detail.error:
            self.traceback.update(
                lines(Text("Traceback:", style="bold"), *detail.traceback, detail.error)
            )
        self.dataflow.update(_dataflow_text(detail))
        self.links.set_rows(_links(detail))
        self.source.update(Syntax(detail.source or "# no source recorded", "python"))
        self.links.focus()


def _args_text(detail: JobDetail) -> Text:
    if not detail.args:
        return Text("Args: none recorded", style="bold")
    width = max(len(arg.name) for arg in detail.args)
    rows = [Text("Args:", style="bold")]
    rows.extend(Text(f"  {arg.name.ljust(width)} = {arg.preview}") for arg in detail.args)
    return lines(*rows)


def _dataflow_text(detail: JobDetail) -> Text:
    """Which calls produced this job's arguments (from the argument_result table)."""
    if not detail.upstreams:
        return Text("Upstream dataflow: arguments came from the caller, not from a task")
    rows = [Text("Upstream dataflow:", style="bold")]
    for up in detail.upstreams:
        where = f"job {up.job_id[:8]}" if up.job_id else f"call node {up.call_hash[:8]}"
        rows.append(
            Text.assemble(f"  {up.arg_name} ", ("<--", "bold"), f" {up.task_name} ({where})")
        )
    return lines(*rows)


def _links(detail: JobDetail) -> list[tuple[str, list[str]]]:
    job = detail.job
    rows = [(record_path("Execution", job.execution_id), ["Execution", job.execution_id[:8]])]
    if job.parent_id:
        rows.append((record_path("Job", job.parent_id), ["Parent job", job.parent_id[:8]]))
    for up in detail.upstreams:
        if up.job_id:
            label = f"{up.task_name} -> {up.arg_name}"
            rows.append((record_path("Job", up.job_id), ["Upstream job", label]))
    for child in detail.children:
        rows.append(
            (record_path("Job", child.id), ["Child job", f"{child.task_name} {child.id[:8]}"])
        )
    if detail.result_hash:
        rows.append(
            (record_path("Value", detail.result_hash), ["Result value", detail.result_hash[:8]])
        )
    for arg in detail.args:
        rows.append((record_path("Value", arg.value_hash), [f"Arg {arg.name}", arg.value_hash[:8]]))
    rows.append(
        (record_path("Task", job.task_hash), ["Task", f"{job.task_name} {job.task_hash[:8]}"])
    )
    return rows
