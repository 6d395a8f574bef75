"""federated_task: a task named in [federated_tasks.NAME], run in a child scheduler."""

from __future__ import annotations

import textwrap

import pytest
from redun.errors import ConfigError, SchedulerError
from redun.federated_tasks import FederatedTaskError, federated_task

REMOTE_CODE = textwrap.dedent(
    """
    from redun import task

    @task(namespace="fed_remote")
    def add(x, y=3):
        return x + y
    """
)


@pytest.fixture
def federated_config(tmp_path, monkeypatch):
    """A module the caller never imports, its own config dir, and the caller's sections."""
    code_dir = tmp_path / "code"
    code_dir.mkdir()
    (code_dir / "fed_remote_code.py").write_text(REMOTE_CODE)
    monkeypatch.syspath_prepend(str(code_dir))
    remote_config = tmp_path / "remote_config"
    remote_config.mkdir()
    (remote_config / "redun.ini").write_text("[backend]\ndb_uri = sqlite:///remote.db\n")
    return {
        "federated_tasks.adder": {
            "namespace": "fed_remote",
            "task_name": "add",
            "load_module": "fed_remote_code",
            "executor": "process",
            "config_dir": str(remote_config),
            "new_execution": "true",
            "description": "adds, elsewhere",
        }
    }


def test_a_federated_task_runs_with_its_own_config(make_scheduler, federated_config):
    scheduler = make_scheduler(**federated_config)
    assert scheduler.run(federated_task("adder", 3)) == 6
    assert scheduler.run(federated_task("adder", 3, y=8)) == 11
    assert scheduler.run(federated_task("adder", x=4, y=8)) == 12


def test_an_unknown_entrypoint_or_executor_is_named(make_scheduler, federated_config):
    with pytest.raises(FederatedTaskError, match="Could not find the entrypoint `nope`"):
        make_scheduler(**federated_config).run(federated_task("nope", 1))
    federated_config["federated_tasks.adder"]["executor"] = "nowhere"
    with pytest.raises(SchedulerError, match='Unknown executor "nowhere"'):
        make_scheduler(**federated_config).run(federated_task("adder", 1))
    del federated_config["federated_tasks.adder"]["executor"]
    # Upstream's wording (its users match on it), naming the section to fix.
    with pytest.raises(
        FederatedTaskError,
        match=r"Federated task entry `adder` does not have the required keys, missing "
        r"`\{'executor'\}` \(in \[federated_tasks.adder\]\)",
    ):
        make_scheduler(**federated_config).run(federated_task("adder", 1))


def test_federated_configs_are_merged_in(make_scheduler, federated_config, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "redun.ini").write_text(
        "[executors.shared_pool]\ntype = local\n\n"
        "[federated_tasks.shared_adder]\nnamespace = fed_remote\ntask_name = add\n"
        "load_module = fed_remote_code\nexecutor = process\n"
        f"config_dir = {federated_config['federated_tasks.adder']['config_dir']}\n"
    )
    scheduler = make_scheduler(scheduler={"federated_configs": str(shared)})
    assert "shared_pool" in scheduler.executors
    assert sorted(scheduler.config["federated_tasks"]) == ["shared_adder"]

    (shared / "redun.ini").write_text("[executors.default]\ntype = local\n")
    with pytest.raises(ConfigError, match="`default` is a duplicate"):
        make_scheduler(
            scheduler={"federated_configs": str(shared)}, **{"executors.default": {"type": "local"}}
        )
