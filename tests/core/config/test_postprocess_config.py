"""redun.scheduler_config.postprocess_config completes a hand-built config as upstream's."""

from __future__ import annotations

from redun import Scheduler, task
from redun.config import Config
from redun.scheduler_config import postprocess_config


def test_defaults_and_paths_are_written_out(tmp_path):
    config = Config.from_dict(
        {"executors.default": {"type": "local"}, "scheduler": {"context_file": "ctx.json"}}
    )
    done = postprocess_config(config, str(tmp_path))
    assert sorted(done) == ["backend", "executors", "repos", "scheduler"]
    assert done["repos"]["default"]["config_dir"] == str(tmp_path)
    assert done["backend"]["db_uri"] == f"sqlite:///{tmp_path}/redun.db"
    assert done["backend"]["config_dir"] == str(tmp_path)
    assert done["scheduler"]["context_file"] == f"{tmp_path}/ctx.json"


def test_absolute_and_server_uris_are_kept(tmp_path):
    for uri in ("sqlite:////data/r.db", "sqlite:///:memory:", "postgresql://h/db"):
        config = Config.from_dict({"backend": {"db_uri": uri}})
        assert postprocess_config(config, str(tmp_path))["backend"]["db_uri"] == uri


def test_a_scheduler_runs_on_the_result(tmp_path):
    @task(namespace="postprocess_test")
    def one():
        return 1

    config = postprocess_config(Config.from_dict({}), str(tmp_path))
    assert Scheduler(config=config).run(one()) == 1
    assert (tmp_path / "redun.db").exists()
