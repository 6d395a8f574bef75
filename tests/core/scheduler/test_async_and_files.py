"""Async tasks awaiting expressions, and File arguments/results that change outside redun."""

from __future__ import annotations

import os

import pytest
from redun import File, task

redun_namespace = "test_async_and_files"


def test_async_task_awaits_an_expression(make_scheduler):
    @task()
    def add(a: int, b: int):
        return a + b

    @task()
    def is_odd(x: int):
        return x % 2 == 1

    @task(cache=False)
    async def branch(x: int):
        if await is_odd(add(x, 2)):
            return "odd"
        return "even"

    assert make_scheduler().run([branch(1), branch(2)]) == ["odd", "even"]


def test_async_task_must_declare_its_cache_option():
    with pytest.raises(ValueError, match="must set its cache option"):

        @task()
        async def undeclared():
            return 1


def test_changed_input_file_reruns(make_scheduler, calls, tmp_path):
    path = tmp_path / "in.txt"
    path.write_text("a\nb\n")

    @task()
    def count_lines(file: File):
        calls.hit("count")
        return len(file.read().splitlines())

    assert make_scheduler().run(count_lines(File(str(path)))) == 2
    assert make_scheduler().run(count_lines(File(str(path)))) == 2
    assert calls["count"] == 1
    with open(path, "a") as out:
        out.write("c\n")
    os.utime(path, (1_700_000_000, 1_700_000_000))
    assert make_scheduler().run(count_lines(File(str(path)))) == 3
    assert calls["count"] == 2


def test_deleted_or_modified_output_is_recreated(make_scheduler, calls, tmp_path):
    out_path = str(tmp_path / "out.txt")

    @task()
    def make_out():
        calls.hit("make_out")
        out = File(out_path)
        out.write("hello")
        return out

    @task()
    def sibling():
        calls.hit("sibling")
        return 1

    @task()
    def main():
        return [make_out(), sibling()]

    make_scheduler().run(main())
    make_scheduler().run(main())
    assert calls == {"make_out": 1, "sibling": 1}
    os.remove(out_path)
    result = make_scheduler().run(main())
    assert os.path.exists(out_path) and result[0].read() == "hello"
    assert calls == {"make_out": 2, "sibling": 1}
