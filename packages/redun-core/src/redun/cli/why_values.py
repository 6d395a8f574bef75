"""Looking inside values for `redun why`: the files and tasks a value holds, and whether
its files still match the record. Lives in the CLI layer because values, files and
tasks sit above the backends layer that reads the record.
"""

from __future__ import annotations

from typing import Any

from redun.backends.db.call_facts import ArgFacts, CallFacts, ValueFacts, arg_name


def inspect_value(value: Any) -> ValueFacts:
    """The ``Inspect`` callable `redun why` hands to the backend's call loader."""
    return ValueFacts(files_in(value), tasks_in(value), stale_files(value))


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
