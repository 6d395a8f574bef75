"""What `redun why` compares: a call's code, arguments, context and result.

The same record is built from a recorded call node (``recorded_call``) and from a call
about to run (``live_call``, for dry-run plans), so one comparison serves both.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

CONTEXT_TAG = "redun.context"


@dataclass
class ValueFacts:
    """What `redun why` needs to know about a recorded value's contents: its files
    (path -> hash), the tasks it mentions (fullname -> hash) and its files that no longer
    match the record (path, recorded hash, current hash or None)."""

    files: dict[str, str] = field(default_factory=dict)
    tasks: dict[str, str] = field(default_factory=dict)
    stale: list[tuple[str, str, str | None]] = field(default_factory=list)


# Looks inside a deserialized value. Values, files and tasks live above the backends
# layer, so the caller (the CLI) passes the inspector in.
Inspect = Callable[[Any], ValueFacts]


def inspect_nothing(value: Any) -> ValueFacts:
    return ValueFacts()


@dataclass
class ArgFacts:
    """One argument: its hash, a short preview, and the files (path -> hash) inside it."""

    value_hash: str
    preview: str
    files: dict[str, str] = field(default_factory=dict)


@dataclass
class CallFacts:
    """A call of a task: everything whose change makes it miss the cache."""

    fullname: str
    name: str
    namespace: str
    task_hash: str
    source: str
    args_hash: str
    args: dict[str, ArgFacts]
    context: dict | None = None
    call_hash: str | None = None
    # The result's type and files (recorded calls only).
    result_type: str | None = None
    result_files: dict[str, str] = field(default_factory=dict)
    # Files in the recorded result that no longer match: (path, recorded, current|None).
    result_stale: list[tuple[str, str, str | None]] = field(default_factory=list)
    # Tasks the recorded result refers to (a lazy result re-checks their code): name -> hash.
    result_tasks: dict[str, str] = field(default_factory=dict)
    version: str | None = None
    hash_includes: list[str] = field(default_factory=list)


def parameter_names(source: str) -> list[str]:
    """Positional parameter names of the function a task's source defines ([] if unknown)."""
    try:
        tree = ast.parse(textwrap.dedent(source))
    except (SyntaxError, ValueError):
        return []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return [a.arg for a in (*node.args.posonlyargs, *node.args.args)]
    return []


def arg_name(position: int | None, key: str | None, names: list[str]) -> str:
    if key is not None:
        return key
    assert position is not None
    return names[position] if position < len(names) else f"#{position}"


def _loaded(row: Any) -> tuple[bool, Any]:
    from redun.backends.db.preview import load_value

    return load_value(row.type, row.format, row.value) if row is not None else (False, None)


def _evaluation_value(conn: Connection, task_hash: str, args_hash: str) -> str | None:
    from sqlalchemy import select

    from redun.backends.db.tables import Evaluation

    table = Evaluation.__table__
    row = conn.execute(
        select(table.c.value_hash)
        .where(table.c.task_hash == task_hash, table.c.args_hash == args_hash)
        .limit(1)
    ).first()
    return row[0] if row else None


def recorded_call(
    conn: Connection, call_hash: str, inspect: Inspect = inspect_nothing
) -> CallFacts:
    """A recorded call node as CallFacts (arguments named from the recorded source)."""
    from redun.backends.db.preview import preview
    from redun.backends.db.queries import get_call_node, get_tags, get_task, get_value_rows

    node = get_call_node(conn, call_hash)
    task = get_task(conn, node.task_hash)
    context_hashes = [
        v for k, v in get_tags(conn, [call_hash]).get(call_hash, []) if k == CONTEXT_TAG
    ]
    # The cache serves the first-round result (an expression when the task returned
    # calls); the call node holds the final one. Either may hold files or tasks.
    first_round = _evaluation_value(conn, node.task_hash, node.args_hash)
    results = [node.value_hash] + ([first_round] if first_round else [])
    wanted = [a[2] for a in node.arguments] + results + context_hashes
    rows = get_value_rows(conn, wanted)
    names = parameter_names(task.source)
    args: dict[str, ArgFacts] = {}
    for position, key, value_hash in node.arguments:
        row = rows.get(value_hash)
        text = (
            preview(value_hash, row.type, row.format, row.value) if row else f"<{value_hash[:8]}>"
        )
        ok, obj = _loaded(row)
        files = inspect(obj).files if ok else {}
        args[arg_name(position, key, names)] = ArgFacts(value_hash, text, files)
    context = None
    if context_hashes:
        ok, obj = _loaded(rows.get(context_hashes[0]))
        context = obj if ok and isinstance(obj, dict) else None
    result = rows.get(node.value_hash)
    result_files: dict[str, str] = {}
    result_tasks: dict[str, str] = {}
    result_stale: list[tuple[str, str, str | None]] = []
    for value_hash in results:
        ok, obj = _loaded(rows.get(value_hash))
        if ok:
            facts = inspect(obj)
            result_files.update(facts.files)
            result_tasks.update(facts.tasks)
            result_stale.extend(facts.stale)
    fullname = f"{task.namespace}.{task.name}" if task.namespace else task.name
    return CallFacts(
        fullname=fullname,
        name=task.name,
        namespace=task.namespace,
        task_hash=node.task_hash,
        source=task.source,
        args_hash=node.args_hash,
        args=args,
        context=context,
        call_hash=call_hash,
        result_type=result.type if result is not None else None,
        result_files=result_files,
        result_tasks=result_tasks,
        result_stale=list(dict.fromkeys(result_stale)),
    )
