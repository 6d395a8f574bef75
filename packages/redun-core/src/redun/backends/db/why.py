"""`redun why`: each reason a job ran instead of being served from the cache.

A call is compared with the recorded call of the same task closest to it
(``explain.find_previous_call``): changed code (with a source diff), each changed
argument (with previews, and which file changed inside File/Dir arguments), a changed
context, or - when code and arguments are the same - why the recorded result could not
be reused (a previous error, an output file changed or gone).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from redun.backends.db.call_facts import CallFacts, Inspect, inspect_nothing

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

ERROR_TYPE = "redun.ErrorValue"
# A task's code hash now, by full name (None when unknown).
TaskHashes = Callable[[str], "str | None"]


@dataclass
class Reason:
    """One reason, as a line (``text``) and as fields for ``--format json``."""

    kind: str
    text: str
    detail: dict[str, Any] = field(default_factory=dict)
    # Extra lines shown under the reason (a source diff).
    lines: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        record = asdict(self)
        if not record["lines"]:
            del record["lines"]
        return record


def source_diff(old: str, new: str) -> list[str]:
    diff = difflib.unified_diff(
        old.rstrip().splitlines(),
        new.rstrip().splitlines(),
        "recorded",
        "current",
        lineterm="",
        n=1,
    )
    return list(diff)


def _code_reason(old: CallFacts, new: CallFacts) -> Reason:
    detail: dict[str, Any] = {"old_task_hash": old.task_hash, "new_task_hash": new.task_hash}
    diff = source_diff(old.source, new.source)
    if diff:
        text = (
            f"code of {new.fullname} changed (task_hash {old.task_hash[:8]} -> {new.task_hash[:8]})"
        )
    else:
        text = (
            f"task hash of {new.fullname} changed with the same source "
            f"({old.task_hash[:8]} -> {new.task_hash[:8]}): its version or hash_includes changed"
        )
    extras = []
    if new.version is not None:
        extras.append(f"version={new.version!r}")
        detail["version"] = new.version
    if new.hash_includes:
        extras.append(f"hash_includes={new.hash_includes}")
        detail["hash_includes"] = new.hash_includes
    if extras:
        text += " [now " + ", ".join(extras) + "]"
    return Reason("code", text, detail, diff)


def _file_changes(
    old: dict[str, str], new: dict[str, str]
) -> list[tuple[str, str | None, str | None]]:
    return [
        (path, old.get(path), new.get(path))
        for path in sorted(set(old) | set(new))
        if old.get(path) != new.get(path)
    ]


def _argument_reasons(old: CallFacts, new: CallFacts) -> list[Reason]:
    reasons = []
    for name in list(dict.fromkeys([*new.args, *old.args])):
        before, after = old.args.get(name), new.args.get(name)
        if before is not None and after is not None and before.value_hash == after.value_hash:
            continue
        detail: dict[str, Any] = {
            "argument": name,
            "old": before.preview if before else None,
            "new": after.preview if after else None,
        }
        if before is None:
            text = f"argument {name!r} is new: {after.preview}"  # type: ignore[union-attr]
        elif after is None:
            text = f"argument {name!r} was dropped (was {before.preview})"
        else:
            changes = _file_changes(before.files, after.files)
            if changes and before.files.keys() == after.files.keys():
                detail["files"] = [{"path": p, "old_hash": o, "new_hash": n} for p, o, n in changes]
                parts = [f"{p} (hash {(o or '?')[:8]} -> {(n or '?')[:8]})" for p, o, n in changes]
                text = f"argument {name!r}: file changed: " + ", ".join(parts)
            else:
                text = f"argument {name!r} changed: {before.preview} -> {after.preview}"
        reasons.append(Reason("argument", text, detail))
    return reasons


def _flatten(context: Any, prefix: str = "") -> dict[str, Any]:
    if not isinstance(context, dict):
        return {prefix: context} if prefix else {}
    flat: dict[str, Any] = {}
    for key, value in context.items():
        flat.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    return flat


def _context_reason(old: CallFacts, new: CallFacts) -> Reason | None:
    before, after = _flatten(old.context or {}), _flatten(new.context or {})
    if before == after:
        return None
    changed = [k for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)]
    parts = [f"{k}: {before.get(k)!r} -> {after.get(k)!r}" for k in changed]
    detail = {"keys": {k: {"old": before.get(k), "new": after.get(k)} for k in changed}}
    return Reason("context", "context changed: " + ", ".join(parts), detail)


def _task_reasons(old: CallFacts, current_hash: TaskHashes) -> list[Reason]:
    reasons = []
    for fullname, recorded in sorted(old.result_tasks.items()):
        now = current_hash(fullname)
        if now is not None and now != recorded:
            text = (
                f"its recorded result calls {fullname}, whose code changed "
                f"(task_hash {recorded[:8]} -> {now[:8]})"
            )
            detail = {"task_name": fullname, "old_task_hash": recorded, "new_task_hash": now}
            reasons.append(Reason("result_task", text, detail))
    return reasons


def _result_reasons(old: CallFacts, current_hash: TaskHashes) -> list[Reason]:
    """Same code and arguments as a recorded call: why its result was not reused."""
    if old.result_type == ERROR_TYPE:
        return [Reason("previous_error", "the recorded call failed; errors are never reused")]
    reasons = _task_reasons(old, current_hash)
    for path, recorded, now in old.result_stale:
        detail = {"path": path, "recorded_hash": recorded, "current_hash": now}
        if now is None:
            reasons.append(
                Reason("result_file", f"file {path} of the recorded result vanished", detail)
            )
        else:
            text = f"file {path} of the recorded result changed (hash {recorded[:8]} -> {now[:8]})"
            reasons.append(Reason("result_file", text, detail))
    if not reasons and old.result_files:
        paths = ", ".join(sorted(old.result_files))
        text = (
            f"an output file of the recorded result ({paths}) had changed or vanished "
            "when this ran (it has been rewritten since)"
        )
        reasons.append(Reason("result_file", text, {"paths": sorted(old.result_files)}))
    if not reasons:
        reasons.append(
            Reason(
                "not_reused",
                "same code and arguments as a recorded call: caching was off for it "
                "(--no-cache, cache=False or check_valid) or its result was not usable",
            )
        )
    return reasons


def _no_hashes(fullname: str) -> str | None:
    return None


def compare_calls(
    old: CallFacts | None,
    new: CallFacts,
    kind: str | None = None,
    current_hash: TaskHashes = _no_hashes,
) -> list[Reason]:
    """Every reason ``new`` could not reuse ``old`` (None: the task never ran before).

    ``current_hash`` gives the code hash a task has now (for a lazy result that calls
    other tasks), or None when unknown.
    """
    if old is None:
        return [Reason("never_run", f"{new.fullname} never ran before")]
    if kind == "same_call" or (old.task_hash == new.task_hash and old.args_hash == new.args_hash):
        return _result_reasons(old, current_hash)
    reasons = []
    if old.task_hash != new.task_hash:
        reasons.append(_code_reason(old, new))
    if old.args_hash != new.args_hash:
        reasons.extend(_argument_reasons(old, new))
    context = _context_reason(old, new)
    if context is not None:
        reasons.append(context)
    return reasons


def explain_call(
    conn: Connection,
    new: CallFacts,
    before: Any = None,
    current_hash: TaskHashes = _no_hashes,
    inspect: Inspect = inspect_nothing,
) -> tuple[list[Reason], str | None]:
    """Reasons ``new`` is not served from the cache, and the call hash compared with.

    ``inspect`` looks inside recorded values (files, tasks); see ``call_facts.Inspect``.
    """
    from redun.backends.db.call_facts import recorded_call
    from redun.backends.db.explain import find_call_with_files, find_previous_call

    previous = find_previous_call(
        conn, new.name, new.namespace, new.task_hash, new.args_hash, before
    )
    if previous is not None and previous.kind == "new_args":
        paths = sorted({path for arg in new.args.values() for path in arg.files})
        previous = find_call_with_files(conn, new.task_hash, paths, before) or previous
    if previous is None:
        return compare_calls(None, new), None
    old = recorded_call(conn, previous.call_hash, inspect)
    return compare_calls(old, new, previous.kind, current_hash), previous.call_hash
