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


REPORTED = textwrap.dedent(
    """
    from redun import task
    from redun.scheduler import subrun

    redun_namespace = "subrun_report"

    @task()
    def leaf(x: int):
        return x + 1

    @task()
    def main():
        return subrun(leaf(1), executor="default")
    """
)


def test_subrun_logs_the_child_schedulers_report(tmp_path, make_scheduler, caplog):
    import ast
    import logging

    script = tmp_path / "subrun_report.py"
    script.write_text(REPORTED)
    module = import_script(str(script))
    with caplog.at_level(logging.INFO, logger="redun"):
        assert make_scheduler().run(module.main(), cache=False) == 2
    lines = [record.getMessage() for record in caplog.records]
    begin = next(i for i, line in enumerate(lines) if line.startswith("BEGIN: Sub-scheduler"))
    end = lines.index("END: Sub-scheduler report")
    report = lines[begin:end]
    assert "executor='default'" in report[0]
    run_config = report[report.index("Sub-scheduler run_config:") + 1]
    assert ast.literal_eval(run_config) == {"dryrun": False, "cache": False}
    status = report[report.index("Sub-scheduler final job status:") + 1 :]
    assert any("subrun_report.leaf" in line for line in status)


EXPORTED = textwrap.dedent(
    """
    from redun import task
    from redun.scheduler import subrun
    from redun.scheduler.job_info import JobInfo

    redun_namespace = "subrun_exported"

    @task()
    def child(job_info: JobInfo = JobInfo()):
        return job_info.options.get("my_flag"), job_info.options.get("prov")

    @task()
    def main():
        return subrun(child(), executor="default")

    @task(prov=False)
    def quiet():
        return subrun(child(), executor="default")
    """
)


def test_exported_options_and_no_prov_reach_the_child_schedulers_jobs(tmp_path, make_scheduler):
    script = tmp_path / "subrun_exported.py"
    script.write_text(EXPORTED)
    module = import_script(str(script))
    scheduler = make_scheduler()
    assert scheduler.run(module.main.export_options(my_flag=7)(), cache=False)[0] == 7
    assert scheduler.run(module.quiet(), cache=False)[1] is False
