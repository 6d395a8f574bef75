"""Config built up the way upstream's API builds it: read_string, read_path, read_dict."""

from __future__ import annotations

from redun.config import Config


def test_reads_accumulate_and_later_keys_win(tmp_path):
    config = Config()
    config.read_string("[backend]\ndb_uri = sqlite:///a.db\n[executors.batch]\ntype = local\n")
    assert config["backend"]["db_uri"] == "sqlite:///a.db"
    config.read_dict({"backend": {"db_uri": "sqlite:///b.db"}, "scheduler": {"context": "{}"}})
    assert config["backend"]["db_uri"] == "sqlite:///b.db"
    assert config["executors"]["batch"]["type"] == "local"
    path = tmp_path / "redun.ini"
    path.write_text("[backend]\ndb_uri = sqlite:///${dir}/c.db\ndir = data\n")
    config.read_path(str(path))
    assert config.configdir == str(tmp_path)
    assert config["backend"]["db_uri"] == "sqlite:///data/c.db"
    assert config.get_config_dict()["scheduler"] == {"context": "{}"}
