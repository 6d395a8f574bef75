"""Task signatures as command-line flags: parsing by annotation, errors, help and info.

This module uses ``from __future__ import annotations`` on purpose: the annotations the
parser sees are strings and must still parse as their types.
"""

from __future__ import annotations

import datetime
import enum
import os.path
from collections.abc import Callable
from typing import List, Optional  # noqa: UP035 - the typing spellings must parse too

import pytest
from redun import task
from redun.cli.args import (
    check_required,
    format_task_help,
    format_task_info,
    get_task_arguments,
    parse_task_args,
)
from redun.errors import UsageError

redun_namespace = "test_args"


class Color(enum.Enum):
    red = 1
    blue = 2


@task()
def typed(
    n: int,
    x: float = 1.5,
    flag: bool = False,
    nums: list[int] = [1],  # noqa: B006
    names: List[str] = [],  # noqa: B006, UP006
    maybe: Optional[int] = None,  # noqa: UP045
    other: int | None = None,
    color: Color = Color.red,
    when: datetime.datetime | None = None,
    opts: dict | None = None,
    plain=3,
    some_name: str = "a",
):
    """Exercise every argument type.

    Second paragraph of the docstring.
    """
    return n


@task()
def greeter(greet: str, thing: str = "World") -> str:
    return f"{greet}, {thing}!"


@task()
def positional_only(a: int, b: int = 2, /, c: int = 3) -> int:
    return a + b + c


@task()
def with_callable(func: Callable) -> str:
    return func.__name__


@task()
def variadic(a: int, *args: int, **kwargs: int) -> int:
    return a


def kwargs_of(task_, *argv: str) -> dict:
    parsed = parse_task_args(task_, list(argv))
    assert parsed.command is None
    return parsed.kwargs


def usage_error(task_, *argv: str) -> str:
    with pytest.raises(UsageError) as info:
        parse_task_args(task_, list(argv))
    message = str(info.value)
    assert "\n" not in message
    return message


def test_flags_are_kebab_case_and_only_given_flags_are_passed() -> None:
    assert kwargs_of(typed, "--n", "3", "--some-name", "zz") == {"n": 3, "some_name": "zz"}
    # Defaults stay out of the call, so its hash matches the same call written in Python.
    assert kwargs_of(greeter, "--greet", "Hi") == {"greet": "Hi"}


def test_underscore_spelling_and_equals_form_are_accepted() -> None:
    assert kwargs_of(typed, "--n=4", "--some_name=--dashes") == {"n": 4, "some_name": "--dashes"}


def test_scalar_types_parse_by_annotation() -> None:
    kwargs = kwargs_of(typed, "--n", "-7", "--x", "2.5", "--plain", "9", "--maybe", "5")
    assert kwargs == {"n": -7, "x": 2.5, "plain": "9", "maybe": 5}
    assert kwargs_of(typed, "--n", "1", "--other", "8")["other"] == 8


@pytest.mark.parametrize(
    ("text", "expected"),
    [("true", True), ("False", False), ("YES", True), ("no", False), ("1", True), ("0", False)],
)
def test_bool_accepts_common_spellings(text: str, expected: bool) -> None:
    assert kwargs_of(typed, "--n", "1", "--flag", text)["flag"] is expected


def test_bare_bool_flag_means_true() -> None:
    assert kwargs_of(typed, "--flag", "--n", "1") == {"flag": True, "n": 1}
    assert kwargs_of(typed, "--n", "1", "--flag") == {"n": 1, "flag": True}


def test_lists_take_several_values_and_repeats_append() -> None:
    kwargs = kwargs_of(typed, "--nums", "1", "2", "3", "--n", "0", "--names", "a", "--names", "b")
    assert kwargs == {"nums": [1, 2, 3], "n": 0, "names": ["a", "b"]}


def test_enum_takes_member_names() -> None:
    assert kwargs_of(typed, "--n", "1", "--color", "blue")["color"] is Color.blue
    assert kwargs_of(typed, "--n", "1", "--color", "BLUE")["color"] is Color.blue
    assert kwargs_of(typed, "--n", "1", "--color", "Color.red")["color"] is Color.red


def test_datetime_dict_and_callable() -> None:
    kwargs = kwargs_of(typed, "--n", "1", "--when", "2024-02-03T04:05", "--opts", '{"a": 1}')
    assert kwargs["when"] == datetime.datetime(2024, 2, 3, 4, 5)
    assert kwargs["opts"] == {"a": 1}
    assert kwargs_of(with_callable, "--func", "os.path.join") == {"func": os.path.join}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--n", "abc"], "invalid value for --n: 'abc' is not an int"),
        (["--n", "1", "--x", "fast"], "invalid value for --x: 'fast' is not a float"),
        (["--n", "1", "--flag", "maybe"], "invalid value for --flag: 'maybe' is not a bool"),
        (["--n", "1", "--nums", "1", "x"], "invalid value for --nums: 'x' is not an int"),
        (["--n", "1", "--color", "green"], "'green' is not one of red, blue"),
        (["--n", "1", "--when", "yesterday"], "'yesterday' is not an ISO date/time"),
        (["--n", "1", "--opts", "[1]"], "'[1]' is not a JSON object"),
        (["--n"], "missing value for --n (expected int)"),
    ],
)
def test_bad_values_are_one_line_errors(argv: list[str], message: str) -> None:
    assert message in usage_error(typed, *argv)


def test_unknown_flag_lists_valid_flags() -> None:
    message = usage_error(greeter, "--greet", "Hi", "--foo", "1")
    assert message == (
        "unknown argument '--foo' for task test_args.greeter (valid: --greet, --thing)"
    )


def test_positional_words_are_rejected_with_a_hint() -> None:
    assert "unexpected argument 'Hi'" in usage_error(greeter, "Hi")
    assert "give arguments as flags (--greet, --thing)" in usage_error(greeter, "Hi")


def test_bad_callable_names_the_function() -> None:
    message = usage_error(with_callable, "--func", "os.path.nope")
    assert "function 'os.path.nope' not found" in message


def test_leading_double_dash_is_ignored() -> None:
    assert kwargs_of(greeter, "--", "--greet", "Hi") == {"greet": "Hi"}


def test_required_arguments_are_checked() -> None:
    with pytest.raises(UsageError, match=r"missing required argument --greet for task"):
        check_required(greeter, [], {})
    check_required(greeter, [], {"greet": "Hi"})
    check_required(greeter, ["Hi"], {})


def test_positional_only_parameters_are_passed_positionally() -> None:
    parsed = parse_task_args(positional_only, ["--a", "1", "--c", "5"])
    assert (parsed.args, parsed.kwargs) == ([1], {"c": 5})
    # A gap before a later positional-only argument is filled with its default.
    parsed = parse_task_args(positional_only, ["--b", "7", "--a", "1"])
    assert (parsed.args, parsed.kwargs) == ([1, 7], {})


def test_variadic_parameters_get_no_flags() -> None:
    assert [argument.flag for argument in get_task_arguments(variadic)] == ["--a"]


@pytest.mark.parametrize("argv", [["--help"], ["-h"], ["help"], ["--greet", "x", "-h"]])
def test_help_requests(argv: list[str]) -> None:
    assert parse_task_args(greeter, argv).command == "help"


def test_info_request() -> None:
    assert parse_task_args(greeter, ["info"]).command == "info"


def test_help_lists_each_argument_with_type_and_default_and_the_docstring() -> None:
    text = format_task_help(typed, prog="redun run wf.py typed")
    assert text.startswith("usage: redun run wf.py typed --n N [--x X]")
    assert "Exercise every argument type." in text
    assert "Second paragraph of the docstring." in text
    lines = {line.split()[0]: line for line in text.splitlines() if line.startswith("  --")}
    assert "int, required" in lines["--n"]
    assert "float (default: 1.5)" in lines["--x"]
    assert "list[int] (default: [1])" in lines["--nums"]
    assert "Color (default: red)" in lines["--color"]
    assert "{red,blue}" in lines["--color"]
    assert "str (default: 'a')" in lines["--some-name"]


def test_info_shows_name_namespace_hash_and_source() -> None:
    text = format_task_info(greeter)
    assert text.splitlines()[0] == "Task test_args.greeter"
    assert "namespace: test_args" in text
    assert f"hash:      {greeter.hash}" in text
    assert 'return f"{greet}, {thing}!"' in text
