"""What users see of a run: job call formatting and the per-task status table."""

from __future__ import annotations

import inspect
import logging
from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

_EMPTY = inspect.Parameter.empty
_VAR_POSITIONAL = inspect.Parameter.VAR_POSITIONAL
_VAR_KEYWORD = inspect.Parameter.VAR_KEYWORD
_KEYWORD_ONLY = inspect.Parameter.KEYWORD_ONLY

if TYPE_CHECKING:
    from redun.scheduler.job import Job

# A value's repr in a job line is cut to this many characters (ending in "...").
MAX_ARG_REPR = 200


def format_job_call(job: Job) -> str:
    """The call in a job's log line, every parameter by name as upstream redun prints it:
    ``hello.greeter(greet='Hello', thing='World')``."""
    if job.args or job.kwargs:
        return format_task_call(job.task, job.args, job.kwargs)
    return format_task_call(job.task, job.expr.args, job.expr.kwargs)


def format_task_call(task: Any, args: tuple, kwargs: dict) -> str:
    """``fullname(name=value, ...)`` in signature order (see :func:`bound_arguments`)."""
    parts = ", ".join(
        _format_arg(name, value) for name, value in bound_arguments(task, args, kwargs)
    )
    return f"{task.fullname}({parts})"


def bound_arguments(task: Any, args: tuple, kwargs: dict) -> list[tuple[str, Any]]:
    """(parameter name, value) in signature order: positional arguments take their
    parameter's name, omitted ones their default, ``*args`` the rest as a tuple and
    ``**kwargs`` its own keys."""
    bound = []
    params = _call_params(task)
    for i, (name, kind, default) in enumerate(params):
        if kind == _VAR_POSITIONAL:
            bound.append((name, tuple(args[i:])))
        elif kind == _VAR_KEYWORD:
            named = {param[0] for param in params}
            bound.extend((key, value) for key, value in kwargs.items() if key not in named)
        elif i < len(args) and kind != _KEYWORD_ONLY:
            bound.append((name, args[i]))
        elif name in kwargs:
            bound.append((name, kwargs[name]))
        elif default is not _EMPTY:
            bound.append((name, default))
    return bound


def format_job_frame(job: Job) -> list[str]:
    """A job's entry in the failure traceback, as upstream redun prints it: where its
    task is defined, the ``def`` line, and the arguments it was called with."""
    args = job.args if job.args or job.kwargs else job.expr.args
    kwargs = job.kwargs if job.args or job.kwargs else job.expr.kwargs
    code = getattr(getattr(job.task, "func", None), "__code__", None)
    if code is None:
        return [f"  Job {job.id[:8]}: {format_job_call(job)}"]
    lineno, line = _def_line(code.co_filename, code.co_firstlineno)
    lines = [f'  Job {job.id[:8]}: File "{code.co_filename}", line {lineno}, in {code.co_name}']
    if line:
        lines.append(f"    {line}")
    for name, value in bound_arguments(job.task, args, kwargs):
        lines.append(f"    {name} = {trim(repr(value))}")
    return lines


def _def_line(filename: str, lineno: int) -> tuple[int, str]:
    """The ``def`` line of a function whose code starts at ``lineno`` (decorators skipped)."""
    import linecache

    for number in range(lineno, lineno + 50):
        text = linecache.getline(filename, number).strip()
        if not text:
            break
        if text.startswith(("def ", "async def ")):
            return number, text
    return lineno, linecache.getline(filename, lineno).strip()


def _format_arg(name: str, value: Any) -> str:
    return f"{name}={trim(repr(value))}"


def trim(text: str) -> str:
    """``text`` cut to ``MAX_ARG_REPR`` characters, ending in ``...`` when cut."""
    return text if len(text) <= MAX_ARG_REPR else text[: MAX_ARG_REPR - 3] + "..."


def _call_params(task: Any) -> tuple[tuple[str, Any, Any], ...]:
    """(name, kind, default) per parameter, worked out once per task."""
    try:
        return task.call_signature.params
    except (TypeError, ValueError):  # pragma: no cover - builtins without a signature
        return ()


def format_status_table(counts: Mapping[str, Mapping[str, int]], when: datetime) -> list[str]:
    """The job status table as upstream redun prints it (``redun run`` and ``redun log``):
    a timestamped title, columns at least 7 wide, a blank row under the header."""
    names = sorted(counts)
    total: Counter[str] = Counter()
    rows = []
    for name in names:
        values = [counts[name].get(status, 0) for status in STATUSES]
        total.update(dict(zip(STATUSES, values, strict=True)))
        rows.append([name, *map(str, values), str(sum(values))])
    table = [
        ["TASK", *STATUSES, "TOTAL"],
        ["ALL", *(str(total[s]) for s in STATUSES), str(sum(total.values()))],
        *rows,
    ]
    widths = [max(max(len(row[col]) for row in table), 7) for col in range(len(table[0]))]

    def line(row: list[str]) -> str:
        cells = [row[0].ljust(widths[0])]
        cells.extend(cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True))
        return "| " + " ".join(cells)

    return [
        f"| JOB STATUS {when.strftime('%Y/%m/%d %H:%M:%S')}",
        line(table[0]),
        "| ",
        *(line(row) for row in table[1:]),
    ]


# A job's status, as the status table and ``redun log`` show it.
PENDING = "PENDING"
RUNNING = "RUNNING"
FAILED = "FAILED"
CACHED = "CACHED"
DONE = "DONE"
STATUSES = (PENDING, RUNNING, FAILED, CACHED, DONE)


class StatusReport:
    """Per-task counts of job states, printed at the end of a run.

    The job runner's ``set_status`` is the one place a job's status changes; it calls
    ``move``, so the table and the jobs never disagree.
    """

    def __init__(self) -> None:
        self.counts: dict[str, Counter] = defaultdict(Counter)
        self._state: dict[str, str] = {}

    def move(self, job: Job, status: str) -> None:
        """Count ``job`` under ``status`` (and no longer under its previous one)."""
        counts = self.counts[job.task_name]
        previous = self._state.get(job.id)
        if previous == status:
            return
        if previous is not None:
            counts[previous] -= 1
        counts[status] += 1
        self._state[job.id] = status

    def rows(self) -> list[tuple[str, list[int]]]:
        total: Counter = Counter()
        rows = []
        for name in sorted(self.counts):
            counts = self.counts[name]
            total.update(counts)
            rows.append((name, [counts[s] for s in STATUSES] + [sum(counts.values())]))
        return [("ALL", [total[s] for s in STATUSES] + [sum(total.values())]), *rows]

    def table(self) -> list[str]:
        """The status table as ``Scheduler.get_job_status_report`` returns it: upstream's
        lines, ending with an empty one, even before any job ran."""
        return [*format_status_table(self.counts, datetime.now()), ""]

    def lines(self) -> list[str]:
        """The end-of-run table with upstream's blank lines around it (none if no jobs)."""
        if not self.counts:
            return []
        return ["", *format_status_table(self.counts, datetime.now()), "", ""]

    def log(self, logger: logging.Logger) -> None:
        for line in self.lines():
            logger.log(logging.INFO, line)
