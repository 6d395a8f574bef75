"""The upstream dataflow of a value: where it came from, call by call (redun log's section)."""

from __future__ import annotations

import re

from redun import task
from redun.backends.db import Execution, Task, Value
from redun.backends.db.dataflow import (
    ArgumentValue,
    CallNodeValue,
    display_dataflow,
    make_dataflow_dom,
    serialize_dataflow,
    walk_dataflow,
    walk_dataflow_value,
)
from sqlalchemy import event

redun_namespace = "dataflow_test"


@task()
def inc(x: int) -> int:
    return x + 1


@task()
def inc_twice(x: int) -> int:
    return inc(x)


@task()
def routed(x: int) -> int:
    return inc(inc_twice(x))


@task()
def names() -> list:
    return ["a.c", "b.c"]


@task()
def compile_one(path: str) -> str:
    return path.replace(".c", ".o")


@task()
def link(objects: list) -> str:
    return "+".join(objects)


@task()
def build(seed: str) -> str:
    paths = names()
    objects = [compile_one(paths[0]), compile_one(paths[1])]
    return link(objects)


@task()
def add(a: int, b: int) -> int:
    return a + b


@task()
def double(x: int) -> int:
    return x * 2


@task()
def diamond(x: int) -> int:
    y = inc(x)
    return add(inc(y), double(y))


@task()
def fan_out(n: int) -> list:
    return [inc(i) for i in range(n)]


def dataflow_text(backend, value, name: str = "value") -> str:
    edges = list(walk_dataflow(backend, value))
    return "\n".join(display_dataflow(make_dataflow_dom(edges, new_varname=name)))


def masked(text: str) -> str:
    return re.sub(r"<[0-9a-f]{8}>", "<hash>", text)


def result_of_execution(scheduler) -> Value:
    execution = scheduler.backend.session.query(Execution).one()
    return execution.call_node.value


def test_routing_through_a_child_call_and_arguments(make_scheduler):
    scheduler = make_scheduler()
    assert scheduler.run(routed(10)) == 12
    text = dataflow_text(scheduler.backend, result_of_execution(scheduler))
    assert masked(text) == (
        "value <-- <hash> inc(x)\n"
        "  x = <hash> 11\n"
        "\n"
        "x <-- <hash> inc_twice(x)\n"
        "  <-- <hash> inc(x_2)\n"
        "  x_2 = <hash> 10\n"
        "\n"
        "x_2 <-- argument of <hash> inc_twice(x)\n"
        "    <-- argument of <hash> routed(x)\n"
        "    <-- origin\n"
    )


def test_a_value_built_from_parts_derives_from_them(make_scheduler):
    scheduler = make_scheduler()
    assert scheduler.run(build("s")) == "a.o+b.o"
    text = dataflow_text(scheduler.backend, result_of_execution(scheduler), "result")
    assert masked(text) == (
        "result <-- <hash> link(objects)\n"
        "  objects = <hash> ['a.o', 'b.o']\n"
        "\n"
        "objects <-- derives from\n"
        "  compile_one_result   = <hash> 'b.o'\n"
        "  compile_one_result_2 = <hash> 'a.o'\n"
        "\n"
        "compile_one_result <-- <hash> compile_one(path)\n"
        "  path = <hash> 'b.c'\n"
        "\n"
        "path <-- derives from\n"
        "  names_result = <hash> ['a.c', 'b.c']\n"
        "\n"
        "compile_one_result_2 <-- <hash> compile_one(path_2)\n"
        "  path_2 = <hash> 'a.c'\n"
        "\n"
        "path_2 <-- derives from\n"
        "  names_result = <hash> ['a.c', 'b.c']\n"
        "\n"
        "names_result <-- <hash> names()\n"
        "             <-- origin\n"
    )


def test_a_value_used_twice_is_described_once(make_scheduler):
    scheduler = make_scheduler()
    assert scheduler.run(diamond(1)) == 7
    text = dataflow_text(scheduler.backend, result_of_execution(scheduler))
    # inc(1) feeds both inc(y) and double(y): its history is named x_3 and told once.
    assert masked(text) == (
        "value <-- <hash> add(a, b)\n"
        "  a = <hash> 3\n"
        "  b = <hash> 4\n"
        "\n"
        "a <-- <hash> inc(x)\n"
        "  x = <hash> 2\n"
        "\n"
        "b <-- <hash> double(x_2)\n"
        "  x_2 = <hash> 2\n"
        "\n"
        "x <-- <hash> x_3\n"
        "\n"
        "x_2 <-- <hash> x_3\n"
        "\n"
        "x_3 <-- <hash> inc(x_4)\n"
        "  x_4 = <hash> 1\n"
        "\n"
        "x_4 <-- argument of <hash> diamond(x)\n"
        "    <-- origin\n"
    )


def test_walk_value_finds_the_producing_call_and_serializes_jobs(make_scheduler):
    scheduler = make_scheduler()
    scheduler.run(routed(10))
    value = result_of_execution(scheduler)
    [(src, call_node)] = walk_dataflow_value(scheduler.backend, value)
    # routed() and inc_twice() only pass the result on: the value was made by inc().
    assert src is value and call_node.task.name == "inc"

    edges = list(walk_dataflow(scheduler.backend, value))
    kinds = {type(edge.dest).__name__ for edge in edges}
    assert {"CallNode", "ArgumentValue", "CallNodeValue"} <= kinds
    assert any(isinstance(edge.dest, ArgumentValue) for edge in edges)
    assert any(isinstance(edge.dest, CallNodeValue) for edge in edges)

    [first, *rest] = serialize_dataflow(make_dataflow_dom(edges))
    assert first["assign"]["display"] == "inc(x)"
    assert first["assign"]["job_id"] and first["assign"]["execution_id"]
    assert first["args"] == [
        {"var_name": "x", "hash": first["args"][0]["hash"], "value_display": "11"}
    ]
    assert rest[-1]["routing"][-1] == {
        "prefix": "",
        "hash": None,
        "display": "origin",
        "job_id": None,
        "execution_id": None,
    }


def test_unreadable_task_source_shows_positional_names(make_scheduler):
    scheduler = make_scheduler()
    scheduler.run(diamond(1))
    session = scheduler.backend.session
    session.query(Task).filter(Task.name == "add").one().source = "not a function"
    session.flush()
    text = dataflow_text(scheduler.backend, result_of_execution(scheduler))
    assert masked(text).splitlines()[:3] == [
        "value <-- <hash> add(arg0, arg1)",
        "  arg0 = <hash> 3",
        "  arg1 = <hash> 4",
    ]


def test_walk_reads_a_bounded_number_of_rows_under_a_wide_call(make_scheduler):
    """Tracing one result under a call with many children asks SQL, not every child."""
    scheduler = make_scheduler()
    scheduler.run(fan_out(300))
    session = scheduler.backend.session
    root = result_of_execution(scheduler).results[0]
    [value_hash] = [node.value_hash for node in root.children if node.value_parsed == 150]
    session.expunge_all()
    value = session.get(Value, value_hash)

    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = session.get_bind().engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        text = dataflow_text(scheduler.backend, value)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert masked(text).startswith("value <-- <hash> inc(x)\n  x = <hash> 149\n")
    assert len(statements) < 60


@task()
def risky(fail: bool) -> str:
    if fail:
        raise ValueError("no")
    return "fine"


@task()
def fallback(error: Exception) -> str:
    return "recovered"


@task()
def keep(text: str) -> str:
    return text


@task()
def guarded(fail: bool) -> str:
    from redun import catch

    return keep(catch(risky(fail), ValueError, fallback))


def test_a_caught_error_links_recovery_to_the_failed_call(make_scheduler):
    """keep() got the recovery's result; the recovery got the error of the failed call."""
    scheduler = make_scheduler()
    assert scheduler.run(guarded(True)) == "recovered"
    root = scheduler.backend.session.query(Execution).one().call_node
    nodes = {node.task.name: node for node in root.children}
    assert nodes["keep"].arguments[0].upstream == [nodes["fallback"]]
    assert nodes["fallback"].arguments[0].upstream == [nodes["risky"]]
    text = masked(dataflow_text(scheduler.backend, root.value))
    assert text.splitlines()[:5] == [
        "value <-- <hash> keep(text)",
        "  text = <hash> 'recovered'",
        "",
        "text <-- <hash> fallback(error)",
        "  error = <hash> ValueError('no')",
    ]
