"""What the cache saved: compute time reused by cached jobs, derived from job rows.

Nothing new is stored (the schema stays upstream's 3.5, and the per-job hot path of a
run writes nothing more): a cached job's row names its call node, and the first job that
ran that call node for real (``cached`` false) has a start and an end time.

A job's recorded span is not its compute: it starts when its arguments are ready, so it
includes the time it waited for a worker, and a fan-out of 5,000 jobs has 5,000 spans
that overlap. So each original job is credited its share of its execution's workers: at
every moment, the leaf jobs in flight (those with no child jobs, which do the work) share
at most ``RUNNING_AT_ONCE`` workers equally; a job in flight with fewer others counts in
full. A parent job is credited the shares of what ran within its span.

Only cached jobs without child jobs of their own count: a cached parent's children are
replayed as cached jobs too and count for themselves. A parent served whole from the
cache (a shallow hit, no child jobs) counts its original span's share.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

# Runs plain SQL with named ``:params``; returns tuples.
ReadRows = Callable[[str, Mapping[str, Any]], list[tuple]]
CHUNK = 500
# How many jobs may run at once (the local executor's default worker count): leaf jobs
# beyond it at one moment were waiting, not computing.
RUNNING_AT_ONCE = 20


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

# One query for every original of the selected cached jobs: sending their call hashes
# back in chunks of 500 cost seconds on a 100,000-job execution.
_ORIGINALS = """
SELECT o.call_hash, o.execution_id, {start}, {end} FROM job o
WHERE o.cached = :cached AND o.end_time IS NOT NULL AND o.call_hash IN (
    SELECT j.call_hash FROM job j
    WHERE j.cached = :reused AND j.call_hash IS NOT NULL AND {where}
)
"""

_LEAVES = """
SELECT j.execution_id, {start}, {end} FROM job j
WHERE j.cached = :cached AND j.end_time IS NOT NULL AND j.execution_id IN ({marks})
AND NOT EXISTS (SELECT 1 FROM job c WHERE c.parent_id = j.id)
"""


def _epoch(column: str, dialect: str) -> str:
    """A timestamp column as seconds since the epoch, computed by the database (parsing
    thousands of timestamps in Python would cost a run's summary a noticeable time)."""
    if dialect == "postgresql":
        return f"EXTRACT(EPOCH FROM {column})"
    return f"(julianday({column}) - 2440587.5) * 86400.0"


def _chunked(
    read: ReadRows, sql: str, keys: list[str], dialect: str, prefix: str = ""
) -> list[tuple]:
    rows: list[tuple] = []
    sql = sql.replace("{start}", _epoch(f"{prefix}start_time", dialect))
    sql = sql.replace("{end}", _epoch(f"{prefix}end_time", dialect))
    for start in range(0, len(keys), CHUNK):
        marks, params = _marks("c", keys[start : start + CHUNK])
        rows.extend(read(sql.format(marks=marks), {"cached": False, **params}))
    return rows


class BusyShare:
    """``share(start, end)``: the compute one job of an execution had between two
    moments, when leaf jobs in flight share at most ``RUNNING_AT_ONCE`` workers."""

    def __init__(self, spans: list[tuple[float, float]]) -> None:
        events = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans])
        self.times: list[float] = []
        self.totals: list[float] = []  # the integral of 1/in-flight, up to each time
        total, in_flight, last = 0.0, 0, None
        for when, step in events:
            if last is not None and in_flight > 0:
                total += (when - last) * min(1.0, RUNNING_AT_ONCE / in_flight)
            in_flight += step
            last = when
            self.times.append(when)
            self.totals.append(total)

    def _at(self, when: float) -> float:
        import bisect

        i = bisect.bisect_right(self.times, when) - 1
        if i < 0:
            return 0.0
        if i + 1 < len(self.times) and self.times[i + 1] > self.times[i]:
            # Between two events: interpolate (the in-flight count is constant there).
            t0, t1 = self.times[i], self.times[i + 1]
            v0, v1 = self.totals[i], self.totals[i + 1]
            return v0 + (v1 - v0) * (when - t0) / (t1 - t0)
        return self.totals[i]

    def share(self, start: float, end: float) -> float:
        return max(0.0, self._at(end) - self._at(start))


def original_durations(
    read: ReadRows, where: str, params: Mapping[str, Any], dialect: str
) -> dict[str, float]:
    """Seconds of compute of the first real (not cached) run of the call node of each
    cached job selected by ``where``, as the share of its execution's workers it had
    (see the module docstring)."""
    sql = _ORIGINALS.replace("{start}", _epoch("o.start_time", dialect))
    sql = sql.replace("{end}", _epoch("o.end_time", dialect)).replace("{where}", where)
    firsts: dict[str, tuple[str, float, float]] = {}
    for call_hash, execution_id, began, ended in read(
        sql, {**params, "cached": False, "reused": True}
    ):
        if began is None or ended is None:
            continue
        known = firsts.get(call_hash)
        if known is None or began < known[1]:
            firsts[call_hash] = (execution_id, float(began), float(ended))
    executions = sorted({execution_id for execution_id, _, _ in firsts.values()})
    spans: dict[str, list[tuple[float, float]]] = {e: [] for e in executions}
    for execution_id, began, ended in _chunked(read, _LEAVES, executions, dialect, "j."):
        if began is not None and ended is not None:
            spans[execution_id].append((float(began), float(ended)))
    shares = {e: BusyShare(s) for e, s in spans.items()}
    return {
        call_hash: shares[execution_id].share(began, ended)
        for call_hash, (execution_id, began, ended) in firsts.items()
    }


def compute_savings(read: ReadRows, where: str, params: Mapping[str, Any], dialect: str) -> Savings:
    """Savings of the cached jobs selected by ``where`` (a condition on ``job j``)."""
    rows = read(_CACHED_JOBS.format(where=where), {"cached": True, **params})
    durations = original_durations(read, where, params, dialect)
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


def execution_savings(read: ReadRows, execution_id: str, dialect: str) -> Savings:
    """What the cache saved one execution."""
    where = "j.execution_id = :execution_id"
    return compute_savings(read, where, {"execution_id": execution_id}, dialect)


def savings_since(read: ReadRows, since: datetime, dialect: str) -> Savings:
    """What the cache saved every execution whose jobs started at or after ``since``."""
    from redun.backends.db.sqlite_values import store_datetime

    bound: Any = store_datetime(since) if dialect == "sqlite" else since
    return compute_savings(read, "j.start_time >= :since", {"since": bound}, dialect)


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
