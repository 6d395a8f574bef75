"""Task options users rely on: tags, prov, config_args, export_options; redun.run."""

from __future__ import annotations

import sqlite3

import pytest
import redun
from redun import task

redun_namespace = "test_task_options"


def test_task_tags_are_recorded_on_task_and_jobs(make_scheduler, db_path):
    @task(tags=[("team", "x")])
    def tagged(i: int):
        return i

    @task()
    def main():
        return [tagged(1), tagged(2)]

    make_scheduler().run(main())
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute(
            "SELECT entity_type, count(*) FROM tag WHERE key = 'team' GROUP BY entity_type"
        ).fetchall()
    assert dict(rows) == {"Task": 1, "Job": 2}


def test_prov_false_records_nothing_for_the_subtree(make_scheduler, db_path):
    @task()
    def leaf(i: int):
        return i

    @task(prov=False)
    def quiet():
        return [leaf(1), leaf(2)]

    assert make_scheduler().run(quiet()) == [1, 2]
    with sqlite3.connect(db_path) as conn:
        names = {
            row[0]
            for row in conn.execute(
                "SELECT task.name FROM job JOIN task ON task.hash = job.task_hash"
            )
        }
    assert "quiet" not in names and "leaf" not in names


def test_config_args_are_left_out_of_the_cache_key(make_scheduler, calls):
    @task(config_args=["workers"])
    def compute(x: int, workers: int = 1):
        calls.hit("compute")
        return x * 2

    make_scheduler().run(compute(3, workers=1))
    assert make_scheduler().run(compute(3, workers=8)) == 6
    assert calls["compute"] == 1
    with pytest.raises(ValueError, match="Invalid config args"):

        @task(config_args=["nope"])
        def broken(x: int):
            return x


def test_export_options_reach_every_descendant(make_scheduler, calls):
    @task()
    def leaf(i: int):
        calls.hit("leaf")
        return i

    @task()
    def sub():
        return [leaf(1), leaf(2)]

    make_scheduler().run(sub())
    make_scheduler().run(sub.options(cache=False)())
    assert calls["leaf"] == 2, "options() affects only sub"
    make_scheduler().run(sub.export_options(cache=False)())
    assert calls["leaf"] == 4, "export_options() makes every descendant re-run"


def test_redun_run_builds_a_scheduler_from_a_config_dir(tmp_path, calls):
    @task()
    def double(x: int):
        calls.hit("double")
        return x * 2

    config_dir = tmp_path / ".redun"
    assert redun.run(double(21), config_dir=str(config_dir)) == 42
    assert (config_dir / "redun.ini").exists()
    assert redun.run(double(21), config_dir=str(config_dir)) == 42
    assert calls["double"] == 1


def test_job_status_report_lists_each_task(make_scheduler):
    @task()
    def reported(i: int):
        return i

    scheduler = make_scheduler()
    scheduler.run([reported(1), reported(2)])
    report = "\n".join(scheduler.get_job_status_report())
    assert "test_task_options.reported" in report
    assert "ALL" in report


def test_max_cache_scope_holds_against_call_and_exported_options(make_scheduler, calls):
    """A task defined with max_cache_scope=CSE is never replayed from the backend, even
    when a call or an exporting parent asks for cache=True (redun.script_task's rule)."""
    from redun.task import CacheScope

    @task(cache=False, max_cache_scope=CacheScope.CSE)
    def command(x: int) -> int:
        calls.hit("command")
        return x

    @task()
    def parent(x: int):
        return command(x)

    make_scheduler().run(command.options(cache=True)(1))
    make_scheduler().run(command.options(cache=True)(1))
    assert calls["command"] == 2
    make_scheduler().run(parent.export_options(cache=True)(2))
    make_scheduler().run(parent.export_options(cache=True)(2))
    assert calls["command"] == 4


def test_a_call_may_still_narrow_below_max_cache_scope(make_scheduler, calls):
    from redun.task import CacheScope

    @task(cache=False, max_cache_scope=CacheScope.CSE)
    def command(x: int) -> int:
        calls.hit("command")
        return x

    @task()
    def one() -> int:
        return 1

    @task()
    def twice():
        # Equal arguments from two different expressions (equal expressions share a job).
        narrowed = command.options(cache_scope=CacheScope.NONE)
        return [narrowed(1), narrowed(one())]

    assert make_scheduler().run(twice()) == [1, 1]
    assert calls["command"] == 2


def test_log_job_statuses_logs_the_status_report(make_scheduler):
    @task()
    def counted(i: int):
        return i

    scheduler = make_scheduler()
    scheduler.run([counted(1), counted(2)])
    logged = []
    scheduler.log = lambda *messages, **_: logged.extend(messages)
    scheduler.log_job_statuses()
    report = scheduler.get_job_status_report()
    assert logged == report
    assert report[0].startswith("| JOB STATUS ")
    assert report[1].split() == [
        "|",
        "TASK",
        "PENDING",
        "RUNNING",
        "FAILED",
        "CACHED",
        "DONE",
        "TOTAL",
    ]
    assert report[-1] == ""


def test_scheduler_logs_through_logger_log(make_scheduler):
    """Replacing scheduler.logger shows every line the scheduler logs as log(level, msg)."""
    from unittest.mock import Mock

    @task()
    def boom():
        raise ValueError("Boom")

    scheduler = make_scheduler()
    scheduler.logger = Mock()
    # The warning about tasks without a namespace goes through logger.warning, as
    # upstream's does (its tests patch that); other tests leave such tasks registered.
    scheduler.ignore_warnings = {"namespace"}
    with pytest.raises(ValueError):
        scheduler.run(boom())
    calls = scheduler.logger.method_calls
    assert {call[0] for call in calls} == {"log"}
    messages = [call[1][1] for call in calls]
    assert any("Execution failed" in message for message in messages)
    assert messages[-1] == "ValueError: Boom"


def test_a_job_shows_its_raw_options_call_options_first():
    from redun.scheduler import Job

    @task(option1="aaa", option2="bbb")
    def configured():
        return 10

    expr = configured.options(option2="ccc")()
    assert Job(configured, expr).get_raw_options() == {"option1": "aaa", "option2": "ccc"}
