"""Tasks on the process executor run in other processes and return equal results."""

from __future__ import annotations

import os
import textwrap

from redun.cli.script_import import import_script

WORKFLOW = textwrap.dedent(
    """
    import os
    from redun import task

    redun_namespace = "proc_wf"

    @task(executor="process")
    def where(x: int):
        return (os.getpid(), x * 2)

    @task()
    def main():
        return [where(1), where(2)]
    """
)


def test_process_executor_runs_in_another_process(tmp_path, make_scheduler):
    script = tmp_path / "proc_wf.py"
    script.write_text(WORKFLOW)
    module = import_script(str(script))
    results = make_scheduler().run(module.main())
    assert [value for _, value in results] == [2, 4]
    assert all(pid != os.getpid() for pid, _ in results)
