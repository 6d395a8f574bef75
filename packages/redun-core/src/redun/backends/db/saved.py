"""What the cache saved: compute time reused by cached jobs, derived from job rows.

Nothing new is stored (the schema stays upstream's 3.5): a cached job's row names its
call node, and the first job that ran that call node for real (``cached`` false) has a
start and an end time. Its duration is the compute the cached job did not spend again.

Only cached jobs without child jobs of their own count their original's duration: a
cached parent's children are replayed as cached jobs too and count for themselves, so
counting the parent's wall-clock span as well would count the same work twice. A parent
served whole from the cache (a shallow hit, no child jobs) counts its original span.
Durations are recorded wall-clock spans, so they include time a job waited for a slot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

# Runs plain SQL with named ``:params``; returns tuples.
ReadRows = Callable[[str, Mapping[str, Any]], list[tuple]]
CHUNK = 500


@dataclass
class TaskSaving:
    """Cache reuse of one task: how many jobs were reused and the compute they saved."""

    task_name: str
    reused: int = 0
    timed: int = 0
    seconds: float = 0.0


@dataclass
class Savings:
    """Cache reuse of one execution or of a time range, per task."""

    tasks: dict[str, TaskSaving] = field(default_factory=dict)

    @property
    def reused(self) -> int:
        return sum(t.reused for t in self.tasks.values())

    @property
    def seconds(self) -> float:
        return sum(t.seconds for t in self.tasks.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "reused_jobs": self.reused,
            "seconds_saved": round(self.seconds, 3),
            "tasks": [
                {
                    "task_name": t.task_name,
                    "reused_jobs": t.reused,
                    "seconds_saved": round(t.seconds, 3),
                }
                for t in sorted(self.tasks.values(), key=lambda t: (-t.seconds, t.task_name))
            ],
        }


def parse_time(value: Any) -> datetime | None:
    """A timestamp column as an aware UTC datetime (SQLite returns naive UTC text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _marks(prefix: str, items: Sequence[str]) -> tuple[str, dict[str, str]]:
    names = [f"{prefix}{i}" for i in range(len(items))]
    return ", ".join(f":{n}" for n in names), dict(zip(names, items))


_CACHED_JOBS = """
SELECT j.call_hash, t.namespace, t.name,
       EXISTS (SELECT 1 FROM job c WHERE c.parent_id = j.id)
FROM job j JOIN task t ON t.hash = j.task_hash
WHERE j.cached = :cached AND j.call_hash IS NOT NULL AND {where}
"""

_ORIGINALS = """
SELECT call_hash, start_time, end_time FROM job
WHERE cached = :cached AND end_time IS NOT NULL AND call_hash IN ({marks})
"""


def original_durations(read: ReadRows, call_hashes: Iterable[str]) -> dict[str, float]:
    """Seconds of the first real (not cached) run of each call node, where one is recorded."""
    unique = list(dict.fromkeys(call_hashes))
    firsts: dict[str, tuple[datetime, float]] = {}
    for start in range(0, len(unique), CHUNK):
        marks, params = _marks("c", unique[start : start + CHUNK])
        for call_hash, began, ended in read(
            _ORIGINALS.format(marks=marks), {"cached": False, **params}
        ):
            began, ended = parse_time(began), parse_time(ended)
            if began is None or ended is None:
                continue
            known = firsts.get(call_hash)
            if known is None or began < known[0]:
                firsts[call_hash] = (began, max(0.0, (ended - began).total_seconds()))
    return {call_hash: seconds for call_hash, (_, seconds) in firsts.items()}


def compute_savings(read: ReadRows, where: str, params: Mapping[str, Any]) -> Savings:
    """Savings of the cached jobs selected by ``where`` (a condition on ``job j``)."""
    rows = read(_CACHED_JOBS.format(where=where), {"cached": True, **params})
    durations = original_durations(read, [row[0] for row in rows if not row[3]])
    savings = Savings()
    for call_hash, namespace, name, has_children in rows:
        fullname = f"{namespace}.{name}" if namespace else name
        entry = savings.tasks.setdefault(fullname, TaskSaving(fullname))
        entry.reused += 1
        seconds = None if has_children else durations.get(call_hash)
        if seconds is not None:
            entry.timed += 1
            entry.seconds += seconds
    return savings


def execution_savings(read: ReadRows, execution_id: str) -> Savings:
    """What the cache saved one execution."""
    return compute_savings(read, "j.execution_id = :execution_id", {"execution_id": execution_id})


def savings_since(read: ReadRows, since: datetime, dialect: str) -> Savings:
    """What the cache saved every execution whose jobs started at or after ``since``."""
    from redun.backends.db.sqlite_values import store_datetime

    bound: Any = store_datetime(since) if dialect == "sqlite" else since
    return compute_savings(read, "j.start_time >= :since", {"since": bound})


def format_seconds(seconds: float) -> str:
    """A duration for people: ``0.042 s``, ``4.2 s``, ``3 m 12 s``, ``3 h 12 m``."""
    if seconds < 1:
        return f"{seconds:.3f} s"
    if seconds < 60:
        return f"{seconds:.1f} s"
    total = round(seconds)
    if total < 3600:
        return f"{total // 60} m {total % 60:02d} s"
    hours, rest = divmod(total, 3600)
    return f"{hours:,} h {rest // 60:02d} m"


def format_savings(savings: Savings) -> str:
    """``reused 1,204 jobs: 3 h 12 m of compute saved``."""
    noun = "job" if savings.reused == 1 else "jobs"
    return f"reused {savings.reused:,} {noun}: {format_seconds(savings.seconds)} of compute saved"
