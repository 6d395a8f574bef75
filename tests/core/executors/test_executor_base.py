"""The Executor base class and building executors from config sections."""

from __future__ import annotations

import pytest
from redun.config import Config, load_config
from redun.errors import ConfigError, ExecutorError, PluginError
from redun.executors.alias import AliasExecutor
from redun.executors.base import Executor, get_executor_from_config, get_executors_from_config
from redun.executors.local import LocalExecutor
from redun.scheduler import Scheduler


class MinimalExecutor(Executor):
    def submit(self, job) -> None:
        pass


def test_script_jobs_are_rejected_by_executors_without_shell_support(scheduler, make_job) -> None:
    executor = MinimalExecutor("mini", scheduler=scheduler)
    job = make_job(len, "x")

    executor.submit_script(job)

    kind, _, error, _ = scheduler.next_event()
    assert kind == "reject"
    assert isinstance(error, ExecutorError)
    assert "cannot run script tasks" in str(error)


def test_an_executor_without_a_scheduler_says_so() -> None:
    with pytest.raises(ExecutorError, match="executor 'mini' has no scheduler"):
        MinimalExecutor("mini").scheduler  # noqa: B018


def test_executors_are_built_from_config_sections() -> None:
    config = Config.from_string(
        "[executors.default]\ntype = local\nmax_workers = 3\n"
        "[executors.big]\ntype = alias\ntarget = default\n"
        "[executors.custom]\nclass = redun.executors.local.LocalExecutor\nmode = process\n"
    )

    executors = {e.name: e for e in get_executors_from_config(config["executors"])}

    assert isinstance(executors["default"], LocalExecutor)
    assert executors["default"].max_workers == 3
    assert isinstance(executors["big"], AliasExecutor)
    assert isinstance(executors["custom"], LocalExecutor)
    assert executors["custom"].mode == "process"


def test_building_an_unknown_type_names_the_section() -> None:
    executors = {"batch": {"type": "no_such_type"}}

    with pytest.raises(PluginError, match=r"unknown executor type 'no_such_type' in \[executors"):
        get_executor_from_config(executors, "batch")
    with pytest.raises(ConfigError, match=r"\[executors.x\] has no type"):
        get_executor_from_config({"x": {}}, "x")
    with pytest.raises(ExecutorError, match="unknown executor 'y' .configured: x."):
        get_executor_from_config({"x": {}}, "y")


def test_the_scheduler_builds_its_executors_the_same_way_honouring_class(tmp_path) -> None:
    ini = tmp_path / "redun.ini"
    ini.write_text(
        "[backend]\ndb_uri = sqlite:///:memory:\n"
        "[executors.custom]\nclass = redun.executors.local.LocalExecutor\nmode = process\n"
    )
    scheduler = Scheduler(config=load_config(str(tmp_path)))

    custom = scheduler.executors["custom"]
    assert isinstance(custom, LocalExecutor)
    assert custom.mode == "process"
    assert custom.scheduler is scheduler


def test_the_scheduler_reports_a_bad_section_as_building_it_directly_does() -> None:
    with pytest.raises(ConfigError, match=r"\[executors.x\] has no type"):
        Scheduler(config={"executors": {"x": {}}})
    with pytest.raises(ExecutorError, match=r"cannot import class 'nowhere.Nothing' in"):
        Scheduler(config={"executors": {"x": {"class": "nowhere.Nothing"}}})
