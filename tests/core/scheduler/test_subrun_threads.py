"""subrun (a child scheduler in another process) and fork_thread/join_thread."""

from __future__ import annotations

import sqlite3
import textwrap

from redun.cli.script_import import import_script

WORKFLOW = textwrap.dedent(
    """
    import os
    from redun import task
    from redun.scheduler import subrun, fork_thread, join_thread

    redun_namespace = "subrun_wf"

    @task()
    def g(x: int):
        return (os.getpid(), x + 1)

    @task()
    def f(x: int):
        return g(x * 10)

    @task()
    def main():
        return subrun(f(1), executor="process")

    @task()
    def forked():
        thread = fork_thread(g(5))
        return join_thread(thread)
    """
)


def test_subrun_runs_a_subtree_in_a_child_scheduler(tmp_path, make_scheduler, db_path, monkeypatch):
    script = tmp_path / "subrun_wf.py"
    script.write_text(WORKFLOW)
    module = import_script(str(script))
    import os

    pid, value = make_scheduler().run(module.main())
    assert value == 11
    assert pid != os.getpid()
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute(
            "SELECT task.name, job.execution_id FROM job JOIN task ON task.hash = job.task_hash"
        ).fetchall()
    names = {name for name, _ in rows}
    assert {"main", "subrun_root_task", "f", "g"} <= names
    assert len({execution for _, execution in rows}) == 1, "subrun jobs join the parent execution"
    # A rerun is cached.
    assert make_scheduler().run(module.main())[1] == 11


def test_fork_and_join_thread(tmp_path, make_scheduler):
    script = tmp_path / "subrun_wf.py"
    script.write_text(WORKFLOW)
    module = import_script(str(script))
    assert make_scheduler().run(module.forked())[1] == 6
