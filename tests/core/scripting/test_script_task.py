"""``@task(script=True)``: the body returns a script and the job's result is its stdout."""

from __future__ import annotations

import os
import textwrap

import pytest
from redun import task
from redun.cli.script_import import import_script
from redun.scripting import ScriptError

redun_namespace = "test_script_task"


def test_script_task_returns_stdout_bytes(scheduler):
    @task(script=True)
    def greet(name: str) -> str:
        return f"""
            echo "hello {name}"
            """

    assert greet.script is True
    assert scheduler.run(greet("world")) == b"hello world\n"


def test_script_task_with_python_shebang(scheduler):
    @task(script=True)
    def compute(x: int) -> str:
        return f"""
            #!/usr/bin/env python3
            print({x} * 2)
            """

    assert scheduler.run(compute(21)) == b"42\n"


def test_script_task_result_feeds_a_python_task(scheduler):
    @task(script=True)
    def listing() -> str:
        return "printf 'a\\nb\\nc\\n'"

    @task()
    def count_lines(output: bytes) -> int:
        return len(output.decode().splitlines())

    assert scheduler.run(count_lines(listing())) == 3


def test_non_zero_exit_raises_script_error_naming_the_task(scheduler):
    @task(script=True)
    def broken() -> str:
        return "echo 'samtools: command not found' >&2; exit 127"

    with pytest.raises(ScriptError) as info:
        scheduler.run(broken())
    assert str(info.value) == (
        "script task 'test_script_task.broken' exited with code 127: samtools: command not found"
    )


def test_script_task_must_return_a_string(scheduler):
    @task(script=True)
    def not_a_script() -> int:
        return 5

    with pytest.raises(TypeError, match="must return its script as a str, got int"):
        scheduler.run(not_a_script())


def test_script_tasks_are_cached_like_other_tasks(make_scheduler, ran_tasks):
    @task(script=True)
    def stamp() -> str:
        return "echo stamped"

    first = make_scheduler()
    assert first.run(stamp()) == b"stamped\n"
    assert ran_tasks(first) == ["test_script_task.stamp"]
    second = make_scheduler()
    assert second.run(stamp()) == b"stamped\n"
    assert ran_tasks(second) == []


WORKFLOW = textwrap.dedent(
    """
    from redun import task

    redun_namespace = "proc_script_wf"

    @task(script=True, executor="process")
    def pid_script():
        return "echo $PPID"
    """
)


def test_script_task_runs_on_the_process_executor(tmp_path, scheduler):
    script = tmp_path / "proc_script_wf.py"
    script.write_text(WORKFLOW)
    module = import_script(str(script))
    parent_pid = int(scheduler.run(module.pid_script()).decode())
    # The script's parent is a worker process, not this one.
    assert parent_pid != os.getpid()
