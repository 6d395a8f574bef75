"""``redun.tools``: copies with provenance, templates, the debugger hook."""

from __future__ import annotations

import sqlite3

import pytest
from redun import Dir, File
from redun.tools import copy_dir, copy_file, copy_files, debug_task, render_template


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_copy_file_records_source_and_result(workdir, make_scheduler, db_path, ran_tasks):
    (workdir / "a.txt").write_text("alpha")
    scheduler = make_scheduler()
    copied = scheduler.run(copy_file(File("a.txt"), "b.txt"))
    assert copied.path == "b.txt"
    assert (workdir / "b.txt").read_text() == "alpha"
    assert ran_tasks(scheduler) == ["redun.copy_file"]

    # Provenance: the call node's argument is the source File, its result the copy.
    with sqlite3.connect(db_path) as conn:
        paths = conn.execute(
            "SELECT arg_file.path, result_file.path FROM call_node "
            "JOIN task ON task.hash = call_node.task_hash "
            "JOIN argument ON argument.call_hash = call_node.call_hash "
            "JOIN file AS arg_file ON arg_file.value_hash = argument.value_hash "
            "JOIN file AS result_file ON result_file.value_hash = call_node.value_hash "
            "WHERE task.name = 'copy_file'"
        ).fetchall()
    assert paths == [("a.txt", "b.txt")]

    again = make_scheduler()
    again.run(copy_file(File("a.txt"), "b.txt"))
    assert ran_tasks(again) == []


def test_copy_file_into_a_directory_keeps_the_basename(workdir, scheduler):
    (workdir / "a.txt").write_text("alpha")
    (workdir / "out").mkdir()
    assert scheduler.run(copy_file(File("a.txt"), "out/")).path == "out/a.txt"


def test_copy_files_pairs_sources_with_destinations(workdir, scheduler):
    for name in ("a", "b"):
        (workdir / f"{name}.txt").write_text(name)
    copies = scheduler.run(copy_files([File("a.txt"), File("b.txt")], ["x.txt", "y.txt"]))
    assert [f.read() for f in copies] == ["a", "b"]


def test_copy_files_with_mismatched_lengths_fails(workdir, scheduler):
    (workdir / "a.txt").write_text("a")
    with pytest.raises(ValueError, match="got 1 files but 2 destination paths"):
        scheduler.run(copy_files([File("a.txt")], ["x.txt", "y.txt"]))


def test_copy_dir_copies_every_file_before_returning_the_dir(workdir, scheduler):
    (workdir / "src/sub").mkdir(parents=True)
    (workdir / "src/one.txt").write_text("1")
    (workdir / "src/sub/two.txt").write_text("2")
    result = scheduler.run(copy_dir(Dir("src"), "dest"))
    assert isinstance(result, Dir)
    assert result.path == "dest"
    assert (workdir / "dest/one.txt").read_text() == "1"
    assert (workdir / "dest/sub/two.txt").read_text() == "2"
    assert sorted(result.rel_path(f.path) for f in result) == ["one.txt", "sub/two.txt"]


def test_render_template(workdir, scheduler):
    pytest.importorskip("jinja2", reason="render_template needs the 'templates' extra")
    (workdir / "tpl").mkdir()
    (workdir / "tpl/base.txt").write_text("Dear {{ name }},{% block body %}{% endblock %}")
    (workdir / "tpl/letter.txt").write_text(
        '{% extends "base.txt" %}{% block body %} you have {{ n }} tasks.{% endblock %}'
    )
    out = scheduler.run(render_template("out.txt", File("tpl/letter.txt"), {"name": "Ada", "n": 3}))
    assert out.read() == "Dear Ada, you have 3 tasks."


def test_debug_task_stops_in_pdb_and_passes_the_value_on(scheduler, monkeypatch):
    import pdb

    stops = []
    monkeypatch.setattr(pdb, "set_trace", lambda: stops.append(True))
    assert scheduler.run(debug_task([1, 2])) == [1, 2]
    assert stops == [True]


def test_task_hashes_match_upstream():
    expected = {
        copy_file: "89efaf7433d35df0689f40c43841a7a89aae25d2",
        copy_files: "91d569d87580f79eac84b50e99ab893b1cedfe98",
        copy_dir: "9fed615b105234b9572e240f122e0716d1f6192a",
        render_template: "fa2c002609fbdeda434f1733b6647f07afeb1780",
        debug_task: "a9b4edf6bf40038db349cf0c568d20728314ede1",
    }
    assert {t.fullname: t.hash for t in expected} == {t.fullname: h for t, h in expected.items()}
