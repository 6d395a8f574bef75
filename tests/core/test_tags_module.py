"""redun.tags and redun.context: upstream's public helper modules."""

from __future__ import annotations

import pytest
from redun.errors import UsageError
from redun.tags import (
    ANY_VALUE,
    PROJECT_KEY,
    format_tag_key_value,
    format_tag_value,
    parse_tag_key_value,
    parse_tag_value,
    str2literal,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("", None),
        ("hello", "hello"),
        ("10", 10),
        ("1.5", 1.5),
        ("true", True),
        ("null", None),
        ('"10"', "10"),
        ("[1, 2]", [1, 2]),
        ('{"a": 1}', {"a": 1}),
        ("one two", "one two"),
    ],
)
def test_parse_tag_value(text, value):
    assert parse_tag_value(text) == value


def test_malformed_values_are_value_errors_and_usage_errors():
    for bad in ("[1, 2", '"a" b'):
        with pytest.raises(ValueError) as info:
            parse_tag_value(bad)
        assert isinstance(info.value, UsageError)
    with pytest.raises(ValueError):
        parse_tag_key_value("project")
    with pytest.raises(ValueError):
        str2literal("maybe")


def test_key_values_and_formatting():
    assert parse_tag_key_value("project=acme") == (PROJECT_KEY, "acme")
    assert parse_tag_key_value("project", value_required=False) == ("project", ANY_VALUE)
    assert format_tag_value("acme") == "acme"
    assert format_tag_value("10") == '"10"'
    assert format_tag_value("a b") == '"a b"'
    assert format_tag_key_value("k", [1, 2]) == "k=[1, 2]"
    assert format_tag_key_value("k", "x" * 60, max_length=10) == "k=xxxxxxx..."


def test_context_module_exports():
    from redun import get_context as top_level
    from redun.context import get_context, get_context_value

    assert get_context is top_level
    assert get_context_value({"a": {"b": 1}}, "a.b", 0) == 1
    assert get_context_value({"a": {}}, "a.c", 5) == 5
