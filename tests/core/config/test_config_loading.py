"""Reading redun.ini: nesting, interpolation, config dir discovery, the default file."""

from __future__ import annotations

import pytest
from redun.config import (
    Config,
    create_config_section,
    get_config_dir,
    load_config,
)
from redun.errors import ConfigError

DEFAULT_INI = """\
[backend]
db_uri = sqlite:///redun.db

[executors.default]
type = local
max_workers = 20
"""


def parse(text: str) -> Config:
    return Config.from_string(text, source="/repo/.redun/redun.ini")


def test_dotted_sections_nest_and_keys_keep_their_case() -> None:
    config = parse("[executors.batch]\ntype = aws_batch\nJobRole = admin\n[limits]\ndb = 2\n")

    assert config["executors"]["batch"]["JobRole"] == "admin"
    assert "jobrole" not in config["executors"]["batch"]
    assert "executors" in config and "scheduler" not in config
    assert config.get("scheduler", {}) == {}
    assert dict(config["limits"]) == {"db": "2"}
    assert sorted(name for name, _ in config.items()) == ["executors", "limits"]


def test_config_is_read_only() -> None:
    config = parse("[limits]\ndb = 2\n")

    with pytest.raises(TypeError):
        config["limits"] = {}  # type: ignore[index]
    with pytest.raises(TypeError):
        config["limits"]["db"] = "3"  # type: ignore[index]


def test_default_section_is_inherited_by_every_section() -> None:
    config = parse("[DEFAULT]\nimage = base:1\n[executors.a]\ntype = docker\n")

    assert config["executors"]["a"]["image"] == "base:1"
    assert "DEFAULT" not in config


def test_interpolation_prefers_section_then_default_then_environment(monkeypatch) -> None:
    monkeypatch.setenv("ROLE", "from-env")
    monkeypatch.setenv("root", "from-env")
    config = parse(
        "[DEFAULT]\nroot = /default\nqueue = q-default\n"
        "[executors.batch]\ntype = aws_batch\nroot = /section\n"
        "scratch = ${root}/scratch\nrole = ${ROLE}\nq = ${queue}\n"
    )
    section = config["executors"]["batch"]

    assert section["scratch"] == "/section/scratch"
    assert section["role"] == "from-env"
    assert section["q"] == "q-default"


def test_interpolation_supports_other_sections_and_literal_dollars() -> None:
    config = parse("[backend]\ndb_uri = sqlite:///x.db\n[scheduler]\nnote = ${backend:db_uri} $$5")

    assert config["scheduler"]["note"] == "sqlite:///x.db $5"


def test_unknown_variable_names_file_section_and_key(monkeypatch) -> None:
    monkeypatch.delenv("NO_SUCH_VAR", raising=False)

    with pytest.raises(ConfigError) as info:
        parse("[executors.batch]\ntype = aws_batch\nrole = ${NO_SUCH_VAR}\n")

    assert str(info.value) == (
        "unknown variable ${NO_SUCH_VAR} in /repo/.redun/redun.ini [executors.batch] role: "
        "define it in that section, in [DEFAULT] or as an environment variable"
    )


def test_interpolation_cycle_is_an_error() -> None:
    with pytest.raises(ConfigError, match=r"\[backend\] .*cycle"):
        parse("[backend]\na = ${b}\nb = ${a}\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "db_uri = x\n",
            "malformed /repo/.redun/redun.ini line 1: 'db_uri = x' is outside any section",
        ),
        (
            "[backend]\ndb_uri = a\ndb_uri = b\n",
            "malformed /repo/.redun/redun.ini line 3: key 'db_uri' appears twice in [backend]",
        ),
        (
            "[limits]\n\n[limits]\n",
            "malformed /repo/.redun/redun.ini line 3: section [limits] appears twice",
        ),
        (
            "[backend]\nnot a key value line\n",
            "malformed /repo/.redun/redun.ini line 2: cannot parse 'not a key value line'; "
            "expected 'key = value' or '[section]'",
        ),
    ],
)
def test_malformed_ini_is_one_line_with_file_and_line(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse(text)

    assert str(info.value) == message


def test_from_dict_accepts_nested_and_dotted_sections() -> None:
    nested = Config.from_dict({"executors": {"default": {"type": "local", "max_workers": 4}}})
    dotted = Config.from_dict({"executors.default": {"type": "local", "max_workers": "4"}})

    assert nested == dotted
    assert nested["executors"]["default"]["max_workers"] == "4"
    assert nested.config_dir is None
    assert Config.from_dict(nested.to_dict()) == nested


def test_to_dict_can_replace_the_config_dir(tmp_path) -> None:
    config = Config.from_dict({"backend": {"db_uri": f"sqlite:///{tmp_path}/redun.db"}}, tmp_path)

    assert config.to_dict(replace_config_dir=".") == {"backend": {"db_uri": "sqlite:///./redun.db"}}


def test_section_getters_parse_values_with_clear_errors() -> None:
    section = create_config_section({"max_workers": "abc", "debug": "yes", "n": "3"})

    assert section.getint("n") == 3
    assert section.getint("missing", 7) == 7
    assert section.getboolean("debug") is True
    with pytest.raises(ConfigError) as info:
        section.getint("max_workers")
    assert str(info.value) == "invalid max_workers 'abc' in [section]: expected an integer"


def test_load_config_creates_the_default_file(tmp_path) -> None:
    config_dir = tmp_path / ".redun"

    config = load_config(str(config_dir))

    assert (config_dir / "redun.ini").read_text() == DEFAULT_INI
    assert config["backend"]["db_uri"] == "sqlite:///redun.db"
    assert config["executors"]["default"]["type"] == "local"
    assert config.config_dir == str(config_dir)
    assert config["repos"]["default"]["config_dir"] == str(config_dir)


def test_load_config_keeps_an_existing_file(tmp_path) -> None:
    (tmp_path / "redun.ini").write_text("[limits]\ndb = 3\n")

    config = load_config(str(tmp_path))

    assert dict(config["limits"]) == {"db": "3"}
    assert (tmp_path / "redun.ini").read_text() == "[limits]\ndb = 3\n"


def test_load_config_without_create_refuses_a_missing_file(tmp_path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(str(tmp_path / "nope"), create=False)

    assert str(info.value).startswith(f"no redun.ini in {tmp_path / 'nope'}")
    assert not (tmp_path / "nope").exists()


def test_config_dir_precedence(tmp_path, monkeypatch) -> None:
    project = tmp_path / "project"
    (project / ".redun").mkdir(parents=True)
    (project / "src" / "deep").mkdir(parents=True)
    monkeypatch.chdir(project / "src" / "deep")
    monkeypatch.delenv("REDUN_CONFIG", raising=False)

    assert get_config_dir() == str(project / ".redun")
    monkeypatch.setenv("REDUN_CONFIG", "/from/env")
    assert get_config_dir() == "/from/env"
    assert get_config_dir("/explicit") == "/explicit"


@pytest.mark.parametrize(
    "ini",
    [
        "[backend]\n",  # the section without a db_uri
        "[scheduler]\n",  # no [backend] at all
        "[backend]\ndb_uri = sqlite:///.redun/redun.db\n",  # early releases' default
    ],
)
def test_repository_database_defaults_to_redun_db_beside_the_ini(tmp_path, ini: str) -> None:
    (tmp_path / "redun.ini").write_text(ini)

    config = load_config(str(tmp_path))

    assert config["backend"]["db_uri"] == "sqlite:///redun.db"


def test_an_explicit_db_uri_is_kept(tmp_path) -> None:
    (tmp_path / "redun.ini").write_text("[backend]\ndb_uri = sqlite:///data/runs.db\n")

    assert load_config(str(tmp_path))["backend"]["db_uri"] == "sqlite:///data/runs.db"
