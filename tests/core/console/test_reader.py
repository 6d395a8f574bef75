from __future__ import annotations

import pytest
from redun.backends.db.queries import UnknownIdError


def test_executions_newest_first_with_status_and_find(reader):
    infos = reader.executions([])
    assert [(i.job.task_name, i.status) for i in infos] == [
        ("console_demo.failing", "FAILED"),
        ("console_demo.hello", "DONE"),
    ]
    assert [i.job.task_name for i in reader.executions(["DONE"])] == ["console_demo.hello"]
    assert [i.job.task_name for i in reader.executions([], "HELLO")] == ["console_demo.hello"]


def test_execution_tree_is_in_call_order_with_counts(reader):
    hello_exec = reader.executions(["DONE"])[0]
    detail = reader.execution(hello_exec.id)
    tree = [(job.task_name.split(".")[-1], depth) for job, depth in detail.tree]
    assert tree[0] == ("hello", 0)
    assert sorted(tree[1:]) == [("greet", 1), ("shout", 1)]
    assert detail.counts["console_demo.greet"]["DONE"] == 1
    root = detail.tree[0][0]
    assert detail.args[root.call_hash] == "name='world'"


def test_failed_job_has_error_and_traceback(reader):
    failed = reader.executions(["FAILED"])[0]
    boom = next(j for j, _ in reader.execution(failed.id).tree if j.task_name.endswith("boom"))
    detail = reader.job(boom.id)
    assert detail.job.status == "FAILED"
    assert detail.error == "ValueError: bad input 7"
    assert any('raise ValueError(f"bad input {x}")' in line for line in detail.traceback)
    assert [(a.name, a.preview) for a in detail.args] == [("x", "7")]


def test_job_upstream_dataflow_names_the_producing_call(reader):
    hello_exec = reader.executions(["DONE"])[0]
    tree = reader.execution(hello_exec.id).tree
    shout = next(j for j, _ in tree if j.task_name.endswith("shout"))
    greet = next(j for j, _ in tree if j.task_name.endswith("greet"))
    detail = reader.job(shout.id)
    assert detail.result == "'HELLO, WORLD!'"
    assert [(u.arg_name, u.task_name, u.job_id) for u in detail.upstreams] == [
        ("text", "console_demo.greet", greet.id)
    ]
    # The value greet produced is the one shout used.
    value = reader.value(detail.args[0].value_hash)
    assert value.text == "'Hello, world!'"
    assert [j.id for j in value.produced_by] == [greet.id]
    assert [j.id for j in value.used_by] == [shout.id]


def test_task_search_and_resolve(reader):
    hits = reader.search("greet")
    assert {h.kind for h in hits} == {"Task", "Job"}
    task_hit = next(h for h in hits if h.kind == "Task")
    task = reader.task(task_hit.id)
    assert task.fullname == "console_demo.greet"
    assert 'return f"Hello, {name}!"' in task.source
    assert len(task.jobs) == 2
    latest = reader.executions([])[0]
    assert reader.resolve("-") == f"executions/{latest.id}"
    assert reader.resolve(task_hit.id[:10]) == f"tasks/{task_hit.id}"
    with pytest.raises(UnknownIdError):
        reader.resolve("zzzz")
