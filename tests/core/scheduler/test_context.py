"""Context from config, run(context=) and update_context, read by get_context()."""

from __future__ import annotations

import json
import sqlite3

from redun import get_context, task
from redun.scheduler import JobInfo

redun_namespace = "test_context"


def _workflow(calls):
    @task()
    def leaf(x: int, ratio: float = get_context("tool.ratio", 1.0)):
        calls.hit("leaf")
        return x * ratio

    @task()
    def mid(x: int):
        calls.hit("mid")
        return leaf(x)

    @task()
    def main(x: int = 10):
        calls.hit("main")
        return mid(x)

    @task()
    def overridden(x: int = 10):
        return leaf.update_context({"tool": {"ratio": 3}})(x)

    return main, overridden


def test_context_reaches_leaves_and_only_readers_rerun(make_scheduler, calls, db_path):
    main, _ = _workflow(calls)
    config = {"scheduler": {"context": json.dumps({"tool": {"ratio": 1.5}})}}
    assert make_scheduler(**config).run(main()) == 15.0
    assert make_scheduler(**config).run(main(), context={"tool": {"ratio": 2}}) == 20.0
    # main and mid were replayed from the cache; only leaf read the changed value.
    assert calls == {"main": 1, "mid": 1, "leaf": 2}
    with sqlite3.connect(db_path) as conn:
        tags = conn.execute("SELECT count(*) FROM tag WHERE key = 'redun.context'").fetchone()[0]
    assert tags >= 1


def test_update_context_overrides_a_subtree(make_scheduler, calls):
    _, overridden = _workflow(calls)
    config = {"scheduler": {"context": json.dumps({"tool": {"ratio": 1.5}})}}
    assert make_scheduler(**config).run(overridden()) == 30


def test_job_info_is_filled_and_not_hashed(make_scheduler, calls):
    @task()
    def who(x: int, job_info: JobInfo = JobInfo()):
        calls.hit("who")
        return (x, job_info.execution_id, job_info.job_id)

    scheduler = make_scheduler()
    x, execution_id, job_id = scheduler.run(who(1))
    assert x == 1
    assert execution_id == scheduler.execution.id
    assert job_id == scheduler.execution.job.id
    # A new execution has new ids, but the call is cached: JobInfo is not in the key.
    make_scheduler().run(who(1))
    assert calls["who"] == 1
