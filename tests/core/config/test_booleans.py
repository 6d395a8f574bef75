"""One reading of booleans: redun.ini settings, task arguments on the command line and
values parsed by type all accept the same words, and refuse the same others."""

from __future__ import annotations

import pytest
from redun import task
from redun.cli.args import parse_task_args
from redun.config_values import parse_bool, to_bool
from redun.errors import ConfigError, UsageError
from redun.executors.code_packaging import code_package_enabled
from redun.value.builtin import Bool

TRUE = ["true", "True", "YES", "on", "1", " yes "]
FALSE = ["false", "no", "Off", "0"]


@task(namespace="test_booleans")
def flagged(flag: bool = False) -> bool:
    return flag


@pytest.mark.parametrize("word", TRUE + FALSE)
def test_every_reader_agrees_on_a_word(word: str) -> None:
    expected = word in TRUE
    assert to_bool(word) is expected
    assert parse_bool(word, "automigrate", "backend") is expected
    assert Bool.parse_arg(bool, word) is expected
    assert parse_task_args(flagged, ["--flag", word.strip()]).kwargs == {"flag": expected}
    assert code_package_enabled({"code_package": word}) is expected


def test_other_words_are_refused_by_each_reader() -> None:
    assert to_bool("maybe") is None
    with pytest.raises(ConfigError, match=r"invalid automigrate 'maybe' in \[backend\]"):
        parse_bool("maybe", "automigrate", "backend")
    with pytest.raises(ValueError, match='Unknown bool "maybe"'):
        Bool.parse_arg(bool, "maybe")
    with pytest.raises(UsageError, match="'maybe' is not a bool"):
        parse_task_args(flagged, ["--flag", "maybe"])
    with pytest.raises(ConfigError, match="invalid code_package 'maybe'"):
        code_package_enabled({"code_package": "maybe"})


def test_a_backend_reads_automigrate_with_the_same_words(tmp_path) -> None:
    from redun.backends.db import RedunBackendDb

    assert RedunBackendDb(config={"automigrate": "off"}).automigrate is False
    assert RedunBackendDb(config={}).automigrate is True
    with pytest.raises(ConfigError, match="invalid automigrate 'later'"):
        RedunBackendDb(config={"automigrate": "later"})
