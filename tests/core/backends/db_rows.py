"""Row builders shared by the backend tests: one small finished execution."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime

from redun.backends.records import (
    ArgumentRow,
    CallNodeRow,
    EvaluationRow,
    ExecutionRow,
    JobEndRow,
    JobStartRow,
    TagRow,
    TaskRow,
    ValueRow,
)

PICKLE = "application/python-pickle"


def h(text: str) -> str:
    """A 40-character fake hash."""
    return (text * 40)[:40]


def execution_rows(exec_id: str = "e" * 36, tag: str = "prod", start: datetime | None = None):
    """Rows for an execution whose root job `ns.add(1)` returned 2."""
    now = start or datetime.now(UTC)
    job_id = "j" + exec_id[1:]
    arg = ArgumentRow(h("a"), h("c"), h("1"), 0, None, ())
    return [
        ValueRow(h("t"), "redun.Task", PICKLE, pickle.dumps("task")),
        TaskRow(h("t"), "add", "ns", "def add(x):\n    return x + 1\n"),
        ValueRow(h("1"), "builtins.int", PICKLE, pickle.dumps(1)),
        ValueRow(h("2"), "builtins.int", PICKLE, pickle.dumps(2), subvalues=(h("1"),)),
        ValueRow(h("f"), "redun.File", PICKLE, b"not a pickle", file_path="/data/out.txt"),
        JobStartRow(job_id, exec_id, None, h("t"), now),
        ExecutionRow(exec_id, job_id, '["redun", "run", "wf.py", "add"]', now),
        EvaluationRow(h("v"), h("t"), h("g"), h("2")),
        CallNodeRow(h("c"), "ns.add", h("t"), h("g"), h("2"), now, (), (arg,), (h("t"),)),
        JobEndRow(job_id, h("c"), now, False),
        TagRow(h("x") if tag == "prod" else h("y"), "Execution", exec_id, "env", tag),
    ]
