"""Rows of small, complete executions: the one set of row builders every backend test uses."""

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


def fake_hash(text: str) -> str:
    """A 40-character hash made of ``text`` repeated."""
    return (text * 40)[:40]


def value(number: int) -> ValueRow:
    return ValueRow(f"{number:040x}", "builtins.int", PICKLE, pickle.dumps(number))


def execution(exec_id: str, results: range, when: datetime | None = None) -> list:
    """An execution whose root job ``ns.add(n)`` called one child per result.

    Executions with overlapping ``results`` share values, call nodes and evaluations,
    as two runs of overlapping workflows do.
    """
    now = when or datetime.now(UTC)
    task = fake_hash("t")
    root_job = f"{exec_id}-root"
    rows: list = [
        ValueRow(task, "redun.Task", PICKLE, pickle.dumps("task")),
        TaskRow(task, "add", "ns", "def add(x):\n    return x + 1\n"),
        JobStartRow(root_job, exec_id, None, task, now),
        ExecutionRow(exec_id, root_job, '["redun", "run", "wf.py", "main"]', now),
    ]
    children = []
    for n in results:
        result, arg = value(n + 1), value(n)
        call_hash = f"c{n:039x}"
        arg_row = ArgumentRow(f"a{n:039x}", call_hash, arg.value_hash, 0, None, ())
        job_id = f"{exec_id}-{n}"
        rows += [
            arg,
            result,
            JobStartRow(job_id, exec_id, root_job, task, now),
            EvaluationRow(f"e{n:039x}", task, f"g{n:039x}", result.value_hash),
            CallNodeRow(
                call_hash,
                "ns.add",
                task,
                f"g{n:039x}",
                result.value_hash,
                now,
                (),
                (arg_row,),
                (task,),
            ),
            JobEndRow(job_id, call_hash, now, False),
        ]
        children.append(call_hash)
    total = value(sum(n + 1 for n in results))
    root_call = f"r{results.start:019x}{results.stop:020x}"
    rows += [
        total,
        CallNodeRow(
            root_call,
            "ns.main",
            task,
            fake_hash("m"),
            total.value_hash,
            now,
            tuple(children),
            (),
            (task,),
        ),
        JobEndRow(root_job, root_call, now, False),
        TagRow(fake_hash(f"x{exec_id}"), "Execution", exec_id, "env", {"name": exec_id, "n": [1]}),
    ]
    return rows


def one_call_execution(exec_id: str = "e" * 36, tag: str = "prod", start: datetime | None = None):
    """An execution whose root job ``ns.add(1)`` returned 2, with a file value and an
    ``env`` tag (``prod`` or ``dev``): what ``redun log`` and the SQLite tests read."""
    now = start or datetime.now(UTC)
    job_id = "j" + exec_id[1:]
    arg = ArgumentRow(fake_hash("a"), fake_hash("c"), fake_hash("1"), 0, None, ())
    return [
        ValueRow(fake_hash("t"), "redun.Task", PICKLE, pickle.dumps("task")),
        TaskRow(fake_hash("t"), "add", "ns", "def add(x):\n    return x + 1\n"),
        ValueRow(fake_hash("1"), "builtins.int", PICKLE, pickle.dumps(1)),
        ValueRow(
            fake_hash("2"), "builtins.int", PICKLE, pickle.dumps(2), subvalues=(fake_hash("1"),)
        ),
        ValueRow(fake_hash("f"), "redun.File", PICKLE, b"not a pickle", file_path="/data/out.txt"),
        JobStartRow(job_id, exec_id, None, fake_hash("t"), now),
        ExecutionRow(exec_id, job_id, '["redun", "run", "wf.py", "add"]', now),
        EvaluationRow(fake_hash("v"), fake_hash("t"), fake_hash("g"), fake_hash("2")),
        CallNodeRow(
            fake_hash("c"),
            "ns.add",
            fake_hash("t"),
            fake_hash("g"),
            fake_hash("2"),
            now,
            (),
            (arg,),
            (fake_hash("t"),),
        ),
        JobEndRow(job_id, fake_hash("c"), now, False),
        TagRow(
            fake_hash("x") if tag == "prod" else fake_hash("y"), "Execution", exec_id, "env", tag
        ),
    ]
