"""validate_config: every mistake is one line naming the file, section and key."""

from __future__ import annotations

import pytest
from redun.config import Config, load_config, validate_config
from redun.errors import ConfigError

SOURCE = "/repo/.redun/redun.ini"


def validate(text: str) -> None:
    validate_config(Config.from_string(text, source=SOURCE))


def test_a_complete_config_is_valid() -> None:
    validate(
        "[backend]\ndb_uri = sqlite:///redun.db\nautomigrate = true\n"
        '[scheduler]\njob_status_interval = 10\ncontext = {"a": 1}\n'
        "[executors.default]\ntype = local\n[executors.big]\ntype = alias\ntarget = default\n"
        "[limits]\ndb = 2\ngpu = 0\n[tags]\nproject = demo\n"
        "[repos.prod]\nconfig_dir = /prod/.redun\n[federated_tasks.x]\nnamespace = n\n"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[limits]\ndb = two\n",
            f"invalid db 'two' in [limits]: expected an integer (in {SOURCE})",
        ),
        (
            "[limits]\ndb = -1\n",
            f"invalid db '-1' in [limits]: expected an integer >= 0 (in {SOURCE})",
        ),
        (
            "[executors.batch]\nqueue = q\n",
            f"section [executors.batch] in {SOURCE} has no type: add e.g. 'type = local'",
        ),
        (
            "[scheduler]\njob_status_interval = soon\n",
            f"invalid job_status_interval 'soon' in [scheduler]: expected an integer (in {SOURCE})",
        ),
        (
            "[scheduler]\ncontext = {not json\n",
            f"invalid context in [scheduler] of {SOURCE}: not JSON (Expecting property name "
            "enclosed in double quotes at column 2)",
        ),
        (
            "[scheduler]\ncontext = [1, 2]\n",
            f"invalid context in [scheduler] of {SOURCE}: expected a JSON object",
        ),
        (
            "[backend]\nautomigrate = perhaps\n",
            f"invalid automigrate 'perhaps' in [backend]: expected true or false (in {SOURCE})",
        ),
        (
            "[executors]\ntype = local\n",
            f"misplaced section [executors] in {SOURCE}: use [executors.NAME]",
        ),
        (
            "[limits.db]\nmax = 1\n",
            f"misplaced section [limits.db] in {SOURCE}: use [limits] with keys",
        ),
        (
            "[executors.a.b]\ntype = local\n",
            f"misplaced section [executors.a.b] in {SOURCE}: use [executors.NAME]",
        ),
        (
            "[repos.prod]\nurl = x\n",
            f"section [repos.prod] in {SOURCE} has no config_dir: add the path of that "
            "repository's .redun directory",
        ),
    ],
)
def test_invalid_config_message(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        validate(text)

    assert str(info.value) == message
    assert "\n" not in str(info.value)


def test_default_keys_do_not_count_as_limits() -> None:
    validate("[DEFAULT]\nroot = /data\n[limits]\ndb = 1\n")


def test_keys_and_subsections_under_one_name_conflict() -> None:
    with pytest.raises(ConfigError, match=r"section \[executors\] in .* has keys and also"):
        validate("[executors]\nx = 1\n[executors.default]\ntype = local\n")


def test_load_config_validates(tmp_path) -> None:
    (tmp_path / "redun.ini").write_text("[limits]\ndb = lots\n")

    with pytest.raises(ConfigError, match=r"invalid db 'lots' in \[limits\]"):
        load_config(str(tmp_path))


def test_unknown_section_is_ignored_with_a_warning(caplog) -> None:
    """Upstream ignores unknown sections; existing configs keep working, typos get a warning."""
    config = Config.from_string("[executor.default]\ntype = local\n", source=SOURCE)
    with caplog.at_level("WARNING", logger="redun"):
        validate_config(config)
    assert "ignoring unknown section [executor]" in caplog.text
