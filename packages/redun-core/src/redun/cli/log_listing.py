"""What `redun log` shows: one record (id, ``-``, ``~N`` or file path) or filtered lists.

The rendering lives in ``redun.cli.log.LogView``; this module turns the command line
into record lookups and SQL filters (``redun.backends.db.record_filters``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from redun.errors import UsageError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from redun.backends.db.queries import FileHit
    from redun.backends.db.record_filters import RecordFilter
    from redun.cli.log import LogView


def _split(text: str | None) -> list[str]:
    return [part.strip().upper() for part in (text or "").split(",") if part.strip()]


def _find_file(conn: Connection, text: str) -> FileHit | None:
    """A recorded file named by ``text`` (as typed, or as an absolute/relative path)."""
    import os

    from redun.backends.db.queries import find_file

    if text == "-" or text.startswith("~"):
        return None
    if not (os.path.exists(text) or os.sep in text or ":" in text or "." in text):
        return None
    candidates = [text, os.path.abspath(text), os.path.relpath(os.path.abspath(text))]
    for candidate in dict.fromkeys(candidates):
        hit = find_file(conn, candidate)
        if hit is not None:
            return hit
    return None


def _record_filter(conn: Connection, options: dict[str, Any]) -> RecordFilter:
    from redun.backends.db.queries import resolve_id
    from redun.backends.db.record_filters import RecordFilter
    from redun.tags import parse_tag_key_value

    exec_ids = []
    for text in (options["exec_id"] or "").split(","):
        if text.strip():
            kind, full_id = resolve_id(conn, text.strip())
            if kind != "Execution":
                raise UsageError(f"--exec-id {text}: {kind} {full_id[:8]} is not an execution")
            exec_ids.append(full_id)
    return RecordFilter(
        exec_ids=exec_ids,
        task_hashes=list(options["task_hash"]),
        value_types=list(options["value_type"]) + (["redun.File"] if options["show_file"] else []),
        file_paths=list(options["file_path"]),
        results=list(options["result"]),
        args=list(options["arg"]),
        tags=[parse_tag_key_value(t, value_required=False) for t in options["tags"]],
        exec_tags=[parse_tag_key_value(t, value_required=False) for t in options["exec_tags"]],
    )


def show_record(conn: Connection, view: LogView, record_id: str) -> None:
    from redun.backends.db import queries

    hit = _find_file(conn, record_id)
    if hit is not None:
        view.file(hit)
        return
    try:
        kind, full_id = queries.resolve_id(conn, record_id)
    except queries.UnknownIdError:
        import os

        if os.path.exists(record_id):
            raise queries.UnknownIdError(
                f"no job recorded the file {record_id}; `redun log --file` lists recorded files"
            ) from None
        raise
    {
        "Execution": view.execution,
        "Job": view.job,
        "CallNode": view.call_node,
        "Task": view.task,
        "Value": view.value,
    }[kind](full_id)


def list_records(conn: Connection, view: LogView, options: dict[str, Any]) -> None:
    from redun.backends.db import queries

    filters = _record_filter(conn, options)
    flags = (
        options["show_exec"] or bool(options["exec_status"]),
        options["show_job"] or bool(options["job_status"]),
        options["show_call_node"],
        options["show_task"],
        options["show_value"] or options["show_file"],
    )
    kinds = [k for k, on in zip(queries.KINDS, flags, strict=True) if on or options["show_all"]]
    kinds = kinds or [k for k in queries.KINDS if k in filters.implied_kinds()] or ["Execution"]
    kinds = [k for k in kinds if filters.allows(k)]
    task_name = options["task_name"]
    where = {kind: filters.conditions(kind) for kind in queries.KINDS}
    listers = {
        "Execution": lambda: queries.list_executions(
            conn, _split(options["exec_status"]), task_name=task_name, where=where["Execution"]
        ),
        "Job": lambda: queries.list_jobs(
            conn, _split(options["job_status"]), task_name=task_name, where=where["Job"]
        ),
        "CallNode": lambda: queries.list_call_nodes(conn, task_name, where=where["CallNode"]),
        "Task": lambda: queries.list_tasks(conn, task_name=task_name, where=where["Task"]),
        "Value": lambda: queries.list_values(conn, where=where["Value"]),
    }
    if options["count"]:
        for kind in kinds:
            view.echo(f"{len(listers[kind]()):>8} {kind}")
        return
    if options["show_file"]:
        view.file_lines(queries.list_files(conn, where=where["Value"]))
        return
    explicit = options["show_exec"] or options["show_all"]
    if kinds == ["Execution"] and view.fmt == "text" and not explicit:
        view.echo("Recent executions:")
        view.echo()
    for kind in kinds:
        _list(view, kind, listers[kind]())


def _list(view: LogView, kind: str, records: list[Any]) -> None:
    """One line per record; jobs, call nodes, tasks and values end with their current
    tags, as upstream's listing does (executions show theirs in ``execution_line``)."""
    from redun.backends.db.queries import get_tags
    from redun.cli.log import _tags

    if kind == "Execution":
        for info in records:
            view.execution_line(info)
        return
    key = {"Job": "id", "CallNode": "call_hash", "Task": "hash", "Value": "value_hash"}[kind]
    tags = get_tags(view.conn, [getattr(record, key) for record in records])
    if kind == "Job":
        args = view.call_args([j.call_hash for j in records if j.call_hash])
        for job in records:
            view.job_line(job, args.get(job.call_hash or "", ""), tags=tags.get(job.id))
    elif kind == "CallNode":
        for node in records:
            if view.fmt == "json":
                view.json({"_type": "CallNode", **node._asdict()})
            else:
                suffix = _tags(tags.get(node.call_hash, []))
                view.echo(f"CallNode {view._id(node.call_hash)} {node.task_name} {suffix}")
    elif kind == "Task":
        for task in records:
            name = f"{task.namespace}.{task.name}" if task.namespace else task.name
            if view.fmt == "json":
                view.json({"_type": "Task", **task._asdict(), "fullname": name})
            else:
                view.echo(f"Task {view._id(task.hash)} {name} {_tags(tags.get(task.hash, []))}")
    else:
        previews = view.values([row.value_hash for row in records])
        for row in records:
            text = previews.get(row.value_hash, "")
            if view.fmt == "json":
                view.json({"_type": "Value", "value_hash": row.value_hash, "type": row.type})
            else:
                suffix = _tags(tags.get(row.value_hash, []))
                view.echo(f"Value {view._id(row.value_hash)} {row.type} {text} {suffix}")
