"""Upstream's redun.cli names for building what `redun run` uses, from Python."""

from __future__ import annotations

import pytest
from redun import Scheduler, task
from redun.backends.db import REDUN_DB_VERSIONS, RedunDatabaseError, RedunVersionError
from redun.cli import (
    REDUN_CONFIG_ENV,
    get_config_dir,
    parse_func_path,
    setup_config,
    setup_scheduler,
)
from redun.errors import BackendError, DatabaseVersionError
from redun.scheduler import Config, Task


@task(namespace="programmatic_test")
def double(x: int) -> int:
    return 2 * x


def test_setup_scheduler_builds_and_loads_the_repository(tmp_path, monkeypatch):
    monkeypatch.delenv(REDUN_CONFIG_ENV, raising=False)
    config_dir = str(tmp_path / ".redun")
    config = setup_config(config_dir)
    assert isinstance(config, Config)
    assert (tmp_path / ".redun" / "redun.ini").exists()
    scheduler = setup_scheduler(config_dir)
    assert isinstance(scheduler, Scheduler)
    assert scheduler.run(double(4)) == 8
    assert (tmp_path / ".redun" / "redun.db").exists()
    monkeypatch.setenv(REDUN_CONFIG_ENV, config_dir)
    assert get_config_dir() == config_dir


def test_upstream_names_for_errors_versions_and_func_paths():
    assert issubclass(RedunVersionError, DatabaseVersionError)
    assert RedunDatabaseError is BackendError
    assert str(REDUN_DB_VERSIONS[-1]) == "3.5"
    assert parse_func_path("workflow::setup") == ("workflow", "setup")
    with pytest.raises(ValueError):
        parse_func_path("workflow.setup")
    assert Task is type(double)
