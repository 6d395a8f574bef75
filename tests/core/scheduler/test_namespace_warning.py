"""A run warns about tasks without a namespace, unless redun.ini says to ignore it."""

from __future__ import annotations

import logging

from redun import Scheduler, task


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def test_task_without_namespace_is_named_in_a_warning(caplog):
    @task(namespace="")
    def bare_task_for_warning():
        return 10

    with caplog.at_level(logging.WARNING, logger="redun"):
        assert Scheduler().run(bare_task_for_warning()) == 10
    warnings = [w for w in _warnings(caplog) if "namespace" in w]
    assert len(warnings) == 1
    assert "test_namespace_warning.py:bare_task_for_warning" in warnings[0]


def test_ignore_warnings_namespace_silences_it(caplog):
    @task(namespace="")
    def bare_task_ignored():
        return 10

    scheduler = Scheduler(config={"scheduler": {"ignore_warnings": "namespace other"}})
    assert scheduler.ignore_warnings == {"namespace", "other"}
    with caplog.at_level(logging.WARNING, logger="redun"):
        assert scheduler.run(bare_task_ignored()) == 10
    assert not [w for w in _warnings(caplog) if "namespace" in w]
