"""What `redun why` compares: a call's code, arguments, context and result.

The same record is built from a recorded call node (``recorded_call``) and from a call
about to run (``live_call``, for dry-run plans), so one comparison serves both.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

CONTEXT_TAG = "redun.context"


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


def iter_leaves(value: Any, limit: int = 100_000) -> list[Any]:
    """Leaves of a nested value, looking inside lazy expressions and partial tasks too
    (a first-round result is often an expression whose arguments hold files)."""
    from redun.value.nested import iter_nested_children

    leaves: list[Any] = []
    stack, seen = [value], 0
    while stack and seen < limit:
        item = stack.pop()
        seen += 1
        inner = [*item.args, *item.kwargs.values()] if _is_call(item) else None
        if inner is not None:
            leaves.append(item)
            stack.extend(inner)
            continue
        for is_leaf, child in iter_nested_children(item):
            if is_leaf:
                leaves.append(child)
            else:
                stack.append(child)
    return leaves


def _is_call(item: Any) -> bool:
    name = type(item).__name__
    return name in ("TaskExpression", "SimpleExpression", "SchedulerExpression", "PartialTask")


def files_in(value: Any) -> dict[str, str]:
    """Every File inside a (nested) value, and each file of a Dir, as path -> hash."""
    from redun.file import Dir, File

    found: dict[str, str] = {}
    for item in iter_leaves(value):
        if isinstance(item, Dir):
            found[item.path] = item.hash
            for member in getattr(item, "_files", None) or []:
                found[member.path] = member.hash
        elif isinstance(item, File):
            found[item.path] = item.hash
    return found


def stale_files(value: Any) -> list[tuple[str, str, str | None]]:
    """Files and Dirs inside a recorded value that no longer match their recorded hash:
    ``(path, recorded hash, current hash or None when gone)``."""
    from redun.file import Dir, File

    stale = []
    for item in iter_leaves(value):
        if not isinstance(item, (File, Dir)):
            continue
        try:
            current = type(item)(item.path)
            exists = current.exists()
            now = current.hash if exists else None
        except Exception:  # noqa: BLE001 - an unreachable file system counts as gone
            now = None
        if now != item.hash:
            stale.append((item.path, item.hash, now))
            if isinstance(item, Dir) and now is not None:
                stale.extend(_stale_members(item, current))
    return stale


def _stale_members(recorded: Any, current: Any) -> list[tuple[str, str, str | None]]:
    """Which files of a changed Dir changed, appeared or vanished."""
    before = {f.path: f.hash for f in getattr(recorded, "_files", None) or []}
    if not before:
        return []  # the record does not list the files the Dir held
    try:
        after = {f.path: f.hash for f in current.files()}
    except Exception:  # noqa: BLE001
        return []
    return [
        (path, before.get(path) or "(none)", after.get(path))
        for path in sorted(set(before) | set(after))
        if before.get(path) != after.get(path)
    ]


def tasks_in(value: Any) -> dict[str, str]:
    """Tasks a (lazy) result mentions, fullname -> recorded hash: task values passed along
    (``map_(task, ...)``) and partial tasks."""
    from redun.task import Task

    found: dict[str, str] = {}
    for item in iter_leaves(value):
        task = getattr(item, "task", None) if type(item).__name__ == "PartialTask" else item
        if isinstance(task, Task) and getattr(task, "hash", None):
            found[task.fullname] = task.hash
    return found


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


def recorded_call(conn: Connection, call_hash: str) -> CallFacts:
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
        args[arg_name(position, key, names)] = ArgFacts(
            value_hash, text, files_in(obj) if ok else {}
        )
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
            result_files.update(files_in(obj))
            result_tasks.update(tasks_in(obj))
            result_stale.extend(stale_files(obj))
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


def live_call(
    task: Any, args_hash: str, args: tuple, kwargs: dict, context: dict | None, registry: Any
) -> CallFacts:
    """A call about to run (its arguments already preprocessed) as CallFacts."""
    from redun.backends.db.preview import trim

    names = [p.name for p in task.signature.parameters.values()]
    facts: dict[str, ArgFacts] = {}
    items = [(arg_name(i, None, names), v) for i, v in enumerate(args)] + list(kwargs.items())
    for name, value in items:
        if type(value).__name__ == "JobInfo":
            continue
        try:
            value_hash = registry.get_hash(value)
        except Exception:  # noqa: BLE001 - an unhashable argument fails the real run
            value_hash = "?"
        try:
            text = trim(repr(value))
        except Exception:  # noqa: BLE001
            text = f"<{type(value).__name__}>"
        facts[name] = ArgFacts(value_hash, text, files_in(value))
    options = task.get_task_options() if hasattr(task, "get_task_options") else {}
    includes = [
        str(x)
        for x in (getattr(task, "_hash_includes", None) or options.get("hash_includes") or [])
    ]
    return CallFacts(
        fullname=task.fullname,
        name=task.name,
        namespace=task.namespace or "",
        task_hash=task.hash,
        source=task.source or "",
        args_hash=args_hash,
        args=facts,
        context=context or None,
        version=getattr(task, "version", None),
        hash_includes=includes,
    )
