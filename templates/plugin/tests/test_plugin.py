"""The plugin as users meet it: listed by redun, and running a workflow's jobs.

Run with the package installed (``pip install -e '.[test]'`` then ``pytest``): redun
finds plugins through installed entry points, so an uninstalled checkout is invisible.
"""

from __future__ import annotations

import threading

from redun import Scheduler, task
from redun.plugins.listing import list_plugins


@task
def where() -> str:
    return threading.current_thread().name


def test_redun_lists_the_plugin_and_its_executor() -> None:
    plugins = {info.name: info for info in list_plugins()}

    assert plugins["example"].status == "ok", plugins["example"].error
    assert plugins["example"].distribution == "redun-example"
    assert plugins["example"].provides == {"executors": ["example_local"]}


def test_jobs_run_on_the_executor() -> None:
    config = {
        "backend": {"db_uri": "sqlite:///:memory:"},
        "executors": {"default": {"type": "example_local"}},
    }
    scheduler = Scheduler(config=config)

    assert scheduler.run(where()).startswith("example_local")
