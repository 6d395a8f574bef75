"""One execution: its tags, job counts by status, and the job tree (filterable)."""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from redun.console.formatting import (
    STATUSES,
    format_argv,
    format_duration,
    format_tags,
    format_time,
)
from redun.console.reader import ExecutionDetail, record_path
from redun.console.screens.base import RedunScreen
from redun.console.widgets import LinkTable, field, lines, status_text

MAX_CALL_TEXT = 120


class ExecutionScreen(RedunScreen):
    """``executions/<id> [--status S] [--task NAME] [--find TEXT] [--job ID]``."""

    def compose_body(self) -> ComposeResult:
        self.summary = Static(id="execution-summary")
        self.counts = Static(id="execution-counts")
        self.table = LinkTable(["Job", "Status", "Started", "Duration", "Call"], id="jobs-table")
        yield self.summary
        yield self.counts
        yield self.table

    def load(self) -> None:
        detail = self.reader.execution(self.route.record_id or "")
        info = detail.info
        self.summary.update(
            lines(
                Text.assemble(("Execution ", "bold"), info.id, " ", status_text(info.status)),
                field("Started", format_time(info.job.start_time)),
                field("Command", format_argv(info.args)),
                field("Tags", format_tags(info.tags) or "none"),
            )
        )
        self.counts.update(_counts_text(detail))
        self.table.set_rows(
            (
                record_path("Job", job.id),
                [
                    job.id[:8],
                    status_text(job.status),
                    format_time(job.start_time),
                    format_duration(job.start_time, job.end_time),
                    _call_text(job.task_name, detail.args.get(job.call_hash or "", ""), depth),
                ],
            )
            for job, depth in self.filtered(detail)
        )
        self.table.focus()

    def filtered(self, detail: ExecutionDetail) -> list:
        """The tree rows the options keep (indentation is kept, so the tree still reads)."""
        tree = detail.tree
        focus = self.route.value("job")
        if focus:
            start = next((i for i, (j, _) in enumerate(tree) if j.id.startswith(focus)), None)
            if start is None:
                return []
            depth = tree[start][1]
            end = next((i for i in range(start + 1, len(tree)) if tree[i][1] <= depth), len(tree))
            tree = tree[start:end]
        statuses = {s.upper() for s in self.route.values("status")}
        tasks = set(self.route.values("task"))
        find = self.route.value("find").lower()
        kept = []
        for job, depth in tree:
            if statuses and job.status not in statuses:
                continue
            if (
                tasks
                and job.task_name not in tasks
                and job.task_name.rsplit(".", 1)[-1] not in tasks
            ):
                continue
            args = detail.args.get(job.call_hash or "", "")
            if find and find not in f"{job.id} {job.task_name}({args})".lower():
                continue
            kept.append((job, depth))
        return kept


def _call_text(task_name: str, args: str, depth: int) -> Text:
    call = f"{task_name}({args})"
    if len(call) > MAX_CALL_TEXT:
        call = call[: MAX_CALL_TEXT - 3] + "..."
    return Text.assemble("  " * depth, (call, "bold" if depth == 0 else ""))


def _counts_text(detail: ExecutionDetail) -> Text:
    """A status table like `redun log`'s: one row for all jobs, then one per task."""
    total: Counter[str] = Counter()
    for counter in detail.counts.values():
        total.update(counter)
    names = sorted(detail.counts)
    width = max([len("TASK"), len("ALL")] + [len(n) for n in names])

    def row(name: str, cells: list) -> str:
        return name.ljust(width) + "".join(f"{c:>9}" for c in cells)

    rows = [Text(row("TASK", [*STATUSES, "TOTAL"]), style="bold")]
    for name, counter in [("ALL", total)] + [(n, detail.counts[n]) for n in names]:
        cells = [counter[s] for s in STATUSES]
        rows.append(Text(row(name, [*cells, sum(cells)])))
    return lines(*rows)
