"""`redun log`: browse executions, jobs, call nodes, tasks and values in the repository.

Text output follows upstream redun's layout (``Exec 1a2b3c4d [ DONE ] ...``) so habits
and greps carry over; ``--format json`` prints one JSON object per record.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import click

from redun.cli.state import get_state
from redun.errors import UsageError
from redun.scheduler.report import format_status_table

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from redun.backends.db.queries import ExecutionInfo, FileHit, JobInfo

STATUS_WIDTH = 6


def _time(dt: datetime | None) -> str:
    return dt.astimezone().strftime("%Y-%m-%d %H:%M:%S") if dt else "?"


def _duration(delta: timedelta | None) -> str:
    if delta is None:
        return "Unknown"
    hundredths = round(delta.total_seconds() * 100)
    seconds, frac = divmod(hundredths, 100)
    minutes, secs = divmod(seconds, 60)
    hours, mins = divmod(minutes, 60)
    return f"{hours}:{mins:02d}:{secs:02d}.{frac:02d}"


def _status(status: str) -> str:
    # As upstream: RUNNING shows as "RUN" set left of centre ("[ RUN  ]").
    return ("RUN " if status == "RUNNING" else status).center(STATUS_WIDTH)


def _tags(tags: list[tuple[str, Any]]) -> str:
    if not tags:
        return ""
    parts = sorted(f"{k}={v if isinstance(v, str) else json.dumps(v)}" for k, v in tags)
    return "(" + ", ".join(parts) + ")"


def _argv(args: str) -> str:
    try:
        return " ".join(json.loads(args)[1:])
    except (ValueError, TypeError):
        return args


class LogView:
    """Renders records read through one connection."""

    def __init__(
        self,
        conn: Connection,
        fmt: str,
        detail: bool,
        emit: Callable[[str], None] | None = None,
        backend: Any = None,
    ) -> None:
        self.conn = conn
        # Decodes values kept in a value store, for the dataflow section.
        self.backend = backend
        self.fmt = fmt
        self.detail = detail
        # Where lines go: the pager's feed when paging, else stdout.
        self.emit = emit or click.echo
        # Lines for stderr, printed once the output (or the pager) is done.
        self.notes: list[str] = []

    def echo(self, text: str = "", indent: int = 0) -> None:
        self.emit(" " * indent + text if text else "")

    def json(self, record: dict[str, Any]) -> None:
        self.echo(json.dumps(record, sort_keys=True, default=str))

    def _id(self, id_: str) -> str:
        return id_ if self.detail else id_[:8]

    def values(self, hashes: list[str]) -> dict[str, str]:
        from redun.backends.db.preview import preview
        from redun.backends.db.queries import get_value_rows

        rows = get_value_rows(self.conn, hashes)
        return {h: preview(h, r.type, r.format, r.value) for h, r in rows.items()}

    def call_args(self, call_hashes: list[str]) -> dict[str, str]:
        from redun.backends.db.preview import trim
        from redun.backends.db.queries import get_arguments

        arguments = get_arguments(self.conn, call_hashes)
        previews = self.values(sorted({a[2] for args in arguments.values() for a in args}))
        texts = {}
        for call_hash, args in arguments.items():
            parts = []
            for _pos, key, value_hash in args:
                text = trim(previews.get(value_hash, f"<{value_hash[:8]}>"))
                parts.append(f"{key}={text}" if key is not None else text)
            texts[call_hash] = ", ".join(parts)
        return texts

    # -- executions ------------------------------------------------------------------

    def execution_line(self, info: ExecutionInfo, indent: int = 0, full: bool = False) -> None:
        if self.fmt == "json":
            self.json(
                {
                    "_type": "Execution",
                    "id": info.id,
                    "args": info.args,
                    "job_id": info.job.id,
                    "status": info.status,
                    "start_time": info.job.start_time.isoformat(),
                    "task_name": info.job.task_name,
                    "tags": {k: v for k, v in info.tags},
                }
            )
            return
        id_ = info.id if full else self._id(info.id)
        self.echo(
            f"Exec {id_} [{_status(info.status)}] {_time(info.job.start_time)}:  "
            f"{_argv(info.args)} {_tags(info.tags)}",
            indent,
        )

    def execution(self, execution_id: str) -> None:
        from redun.backends.db.execution_tree import execution_summary
        from redun.backends.db.queries import get_execution

        info = get_execution(self.conn, execution_id)
        self.execution_line(info, full=True)
        if self.fmt == "json":
            return
        summary = execution_summary(self.conn, execution_id)
        root = info.job
        if info.status == "DONE" and root.end_time:
            end = root.end_time
        else:
            end = summary.last_end or root.start_time
        start = summary.first_start or root.start_time
        self.echo(f"Duration: {_duration(end - start)}")
        self.echo()
        self.status_table(summary.counts, end)
        statuses = summary.statuses
        self.echo(
            f"Jobs: {sum(statuses.values())} (DONE: {statuses['DONE']}, "
            f"CACHED: {statuses['CACHED']}, FAILED: {statuses['FAILED']})"
        )
        self.echo("-" * 80)
        self.job_tree(execution_id, root.id)
        # Summed after the tree: on a big execution it takes seconds.
        self.savings_note(execution_id)

    def savings_note(self, execution_id: str) -> None:
        """The compute the cache saved, as a note for stderr.

        Standard output keeps upstream's layout line for line (scripts and upstream's
        docs read it); the note is printed after it, like `redun run`'s summary.
        """
        from redun.backends.db.saved import execution_savings, format_savings
        from redun.cli.log_saved import connection_reader

        reader = connection_reader(self.conn)
        savings = execution_savings(reader, execution_id, self.conn.dialect.name)
        if savings.reused:
            self.notes.append(f"Cache: {format_savings(savings)}")

    def status_table(self, counts: dict[str, Counter[str]], when: datetime) -> None:
        for line in format_status_table(counts, when.astimezone()):
            self.echo(line)
        self.echo()

    def job_tree(self, execution_id: str, root_id: str) -> None:
        """Printed a chunk at a time, so a big tree's first lines come at once."""
        from redun.backends.db.execution_tree import tree_chunks, tree_order

        order = tree_order(self.conn, execution_id, root_id)
        for chunk in tree_chunks(self.conn, order):
            args = self.call_args([job.call_hash for job, _ in chunk if job.call_hash])
            tags = self.job_tags([job.id for job, _ in chunk])
            for job, depth in chunk:
                call = args.get(job.call_hash or "", "")
                self.job_line(job, call, indent=2 * depth, tags=tags.get(job.id))

    # -- jobs ------------------------------------------------------------------------

    def job_tags(self, job_ids: list[str]) -> dict[str, list[tuple[str, Any]]]:
        """Each job's tags (an executor's, such as ``aws_batch_job``, and the task's)."""
        from redun.backends.db.queries import get_tags

        return get_tags(self.conn, job_ids)

    def job_line(
        self,
        job: JobInfo,
        args: str,
        indent: int = 0,
        full: bool = False,
        tags: list[tuple[str, Any]] | None = None,
    ) -> None:
        if self.fmt == "json":
            record = job._asdict()
            record.update(_type="Job", args=args, tags=dict(tags or []))
            self.json(record)
            return
        id_ = job.id if full else self._id(job.id)
        self.echo(
            f"Job {id_} [{_status(job.status)}] {_time(job.start_time)}:  {job.task_name}({args}) "
            + _tags(tags or []),
            indent,
        )

    def job(self, job_id: str, indent: int = 0) -> None:
        from redun.backends.db.queries import get_jobs

        job = get_jobs(self.conn, [job_id])[job_id]
        args = self.call_args([job.call_hash]) if job.call_hash else {}
        tags = self.job_tags([job_id]).get(job_id)
        self.job_line(job, args.get(job.call_hash or "", ""), indent, full=True, tags=tags)
        if self.fmt == "json":
            return
        self.traceback_line(job, indent)
        if job.status == "DONE" and job.end_time:
            # As upstream: a cached or failed job's own time says nothing of the work.
            self.echo(f"Duration: {_duration(job.end_time - job.start_time)}", indent)
        self.echo()
        if job.call_hash:
            self.call_node(job.call_hash, indent=indent + 2, show_parents=False)
        else:
            self.echo("CallNode UNKNOWN: Job has not finished or has been killed.", indent + 2)
            self.echo()
            self.task(job.task_hash, indent=indent + 2)
        if job.status == "FAILED" and job.call_hash:
            self.error_traceback(job.call_hash, indent + 2)

    def error_traceback(self, call_hash: str, indent: int) -> None:
        """The recorded exception and frames of a failed job."""
        from redun.backends.db.preview import load_value
        from redun.backends.db.queries import get_call_node, get_value_rows

        value_hash = get_call_node(self.conn, call_hash).value_hash
        row = get_value_rows(self.conn, [value_hash]).get(value_hash)
        ok, error_value = load_value(row.type, row.format, row.value) if row else (False, None)
        self.echo("Traceback:", indent)
        traceback = getattr(error_value, "traceback", None) if ok else None
        if traceback is not None:
            for line in traceback.format():
                for part in line.rstrip("\n").splitlines():
                    self.echo(part, indent)
        error = getattr(error_value, "error", None) if ok else None
        if error is not None:
            self.echo(f"{type(error).__name__}: {error}", indent)
        self.echo()

    def traceback_line(self, job: JobInfo, indent: int = 0) -> None:
        from redun.backends.db.queries import get_jobs

        stack = [job]
        while stack[-1].parent_id:
            parent = get_jobs(self.conn, [stack[-1].parent_id]).get(stack[-1].parent_id)
            if parent is None:
                break
            stack.append(parent)
        parts = [f"Exec {job.execution_id[:8]} > "]
        if len(stack) > 2:
            hidden = len(stack) - 2
            parts.append(f"({hidden} {'Jobs' if hidden > 1 else 'Job'}) > ")
        if len(stack) > 1:
            # The direct caller, after the count of the jobs above it (as upstream).
            parts.append(f"Job {stack[1].id[:8]} {stack[1].task_name.rsplit('.', 1)[-1]} > ")
        parts.append(f"Job {job.id[:8]} {job.task_name.rsplit('.', 1)[-1]}")
        self.echo("Traceback: " + "".join(parts), indent)

    # -- call nodes, tasks, values ---------------------------------------------------

    def call_node(self, call_hash: str, indent: int = 0, show_parents: bool = True) -> None:
        from redun.backends.db.queries import get_call_node

        node = get_call_node(self.conn, call_hash)
        args = self.call_args([call_hash]).get(call_hash, "")
        result = self.values([node.value_hash]).get(node.value_hash, "?")
        if self.fmt == "json":
            record = node._asdict()
            record.update(_type="CallNode", args=args, result=result)
            self.json(record)
            return
        self.echo(f"CallNode {node.call_hash} {node.task_name} ", indent)
        self.echo(f"Args:   {args}", indent + 2)
        if result.startswith("ErrorValue(") and result.endswith(")"):
            # A failed call: upstream shows what it raised.
            self.echo(f"Raised: {result[len('ErrorValue(') : -1]}", indent + 2)
        else:
            self.echo(f"Result: {result}", indent + 2)
        if show_parents and node.parents:
            self.echo("Parent CallNodes:", indent + 2)
            for parent in node.parents:
                parent_node = get_call_node(self.conn, parent)
                self.echo(f"CallNode {parent[:8]} {parent_node.task_name} ", indent + 4)
        self.echo()
        self.task(node.task_hash, indent=indent)
        self.echo()
        self.dataflow(node.value_hash, "result", indent)

    def dataflow(self, value_hash: str, name: str, indent: int = 0) -> None:
        """Where the value came from (upstream's "Upstream dataflow" section)."""
        from redun.cli.log_dataflow import dataflow_lines

        for line in dataflow_lines(self.conn, self.backend, value_hash, name):
            self.echo(line, indent)

    def task(self, task_hash: str, indent: int = 0) -> None:
        from redun.backends.db.queries import get_task

        task = get_task(self.conn, task_hash)
        fullname = f"{task.namespace}.{task.name}" if task.namespace else task.name
        if self.fmt == "json":
            self.json({"_type": "Task", **task._asdict(), "fullname": fullname})
            return
        self.echo(f"Task {task.hash} {fullname} ", indent)
        self.echo()
        for line in task.source.rstrip().splitlines():
            self.echo(line, indent + 2)
        self.echo()

    def value(self, value_hash: str) -> None:
        from redun.backends.db.queries import get_value_rows

        row = get_value_rows(self.conn, [value_hash])[value_hash]
        text = self.values([value_hash])[value_hash]
        if self.fmt == "json":
            self.json(
                {"_type": "Value", "value_hash": value_hash, "type": row.type, "preview": text}
            )
            return
        self.echo(f"Value {value_hash} {row.type} ")
        self.echo(text)
        self.echo()
        self.dataflow(value_hash, "value")

    # -- files -----------------------------------------------------------------------

    def file_lines(self, files: list[tuple[str, str]]) -> None:
        """One line per recorded path (the newest hash of a path is not singled out)."""
        from redun.backends.db.queries import get_tags

        tags = get_tags(self.conn, [value_hash for value_hash, _ in files])
        previous = None
        for value_hash, path in files:
            if path == previous:
                continue
            previous = path
            if self.fmt == "json":
                self.json({"_type": "File", "value_hash": value_hash, "path": path})
            else:
                self.echo(f"File {value_hash[:8]} {path} {_tags(tags.get(value_hash, []))}")

    def file(self, hit: FileHit) -> None:
        """A file path: the job that produced it (or consumed it), in detail."""
        if self.fmt == "json":
            self.json({"_type": "File", **hit._asdict()})
            return
        self.file_lines([(hit.value_hash, hit.path)])
        if hit.job_id is None:
            return
        verb = "Produced" if hit.kind == "result" else "Consumed"
        self.echo(f"{verb} by Job {hit.job_id[:8]}")
        self.echo()
        self.job(hit.job_id, indent=2)


def _open(conn_owner: Any) -> Any:
    transaction = getattr(conn_owner, "transaction", None)
    if transaction is None:
        raise UsageError("`redun log` needs a SQL database backend; check [backend] db_uri")
    return transaction()


@click.command("log")
@click.argument("record_id", required=False, metavar="[ID|-|~N|PATH]")
@click.option("--exec", "show_exec", is_flag=True, help="List executions.")
@click.option("--job", "show_job", is_flag=True, help="List jobs.")
@click.option("--call-node", "show_call_node", is_flag=True, help="List call nodes.")
@click.option("--task", "show_task", is_flag=True, help="List tasks.")
@click.option("--value", "show_value", is_flag=True, help="List values.")
@click.option("--file", "show_file", is_flag=True, help="List recorded files.")
@click.option("--all", "show_all", is_flag=True, help="List records of every kind.")
@click.option("--exec-status", metavar="S,..", help="RUNNING, FAILED or DONE.")
@click.option("--job-status", metavar="S,..", help="RUNNING, FAILED, CACHED or DONE.")
@click.option("--task-name", metavar="NAME", help="Only this task (full name).")
@click.option("--task-hash", multiple=True, metavar="HASH", help="Only this task hash (prefix).")
@click.option("--value-type", multiple=True, metavar="TYPE", help="Values of this type.")
@click.option("--file-path", multiple=True, metavar="PATTERN", help="Files by path ('*' globs).")
@click.option("--exec-id", metavar="ID,..", help="Only records of these executions.")
@click.option("--result", multiple=True, metavar="HASH", help="Jobs whose result has this hash.")
@click.option("--arg", multiple=True, metavar="HASH", help="Jobs with an argument of this hash.")
@click.option("-t", "--tag", "tags", multiple=True, metavar="K[=V]", help="Records with this tag.")
@click.option("--exec-tag", "exec_tags", multiple=True, metavar="K[=V]", help="By execution tag.")
@click.option("--saved", is_flag=True, help="Compute the cache saved, per task (see --since).")
@click.option("--since", metavar="SPAN|DATE", help="With --saved: since 7d, 12h, 2026-11-01...")
@click.option("--count", is_flag=True, help="Count records by kind instead of listing them.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--detail", is_flag=True, help="Show full ids.")
@click.option("--no-pager", is_flag=True, help="Print directly instead of through a pager.")
def log_command(record_id: str | None = None, **options: Any) -> None:
    """Show executions (newest first), or one record by id prefix, `-`, `~N` or file path."""
    import sys

    defaults = {p.name: p.default for p in log_command.params if p.name}
    options = {**defaults, **options}
    for name in ("task_hash", "value_type", "file_path", "result", "arg", "tags", "exec_tags"):
        options[name] = tuple(options[name] or ())
    page = not options["no_pager"] and sys.stdout.isatty() and options["fmt"] == "text"
    from redun.cli.log_listing import list_records, show_record

    backend = get_state().backend()

    notes: list[str] = []

    def render(emit: Callable[[str], None]) -> None:
        with _open(backend) as conn:
            view = LogView(conn, options["fmt"], options["detail"], emit, backend)
            view.notes = notes
            if options["saved"] or options["since"]:
                _show_saved(conn, view, record_id, options["since"])
            elif record_id is not None:
                show_record(conn, view, record_id)
            else:
                list_records(conn, view, options)

    if page:
        from redun.cli.pager import page_lines

        page_lines(render)
    else:
        render(click.echo)
    for note in notes:
        click.echo(note, err=True)


def _show_saved(conn: Any, view: LogView, record_id: str | None, since: str | None) -> None:
    from redun.cli.log_saved import show_saved
    from redun.cli.time_spans import parse_since

    if record_id is not None:
        raise UsageError("--saved sums over time; use `redun log EXEC_ID` for one execution")
    show_saved(conn, view, parse_since(since or "7d", "--since"))
