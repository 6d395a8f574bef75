from __future__ import annotations

import pytest
from redun.console.routes import Route, format_options, parse_filter, parse_route
from redun.errors import UsageError


def test_no_arguments_open_the_executions_list():
    route = parse_route([])
    assert route == Route("executions")
    assert route.command() == "redun console executions"


def test_paths_and_options_round_trip_to_the_header_command():
    route = parse_route(["executions/abc", "--status", "FAILED,DONE", "--task=demo.boom"])
    assert route.screen == "execution"
    assert route.record_id == "abc"
    assert route.values("status") == ["FAILED", "DONE"]
    assert route.value("task") == "demo.boom"
    assert route.command() == ("redun console executions/abc --status FAILED,DONE --task demo.boom")
    assert parse_route(route.argv()) == route


def test_options_without_a_path_apply_to_the_executions_list():
    route = parse_route(["--find", "hello world"])
    assert route.screen == "executions"
    assert route.command() == "redun console executions --find 'hello world'"


@pytest.mark.parametrize(
    ("path", "screen"),
    [("jobs/j1", "job"), ("values/v1", "value"), ("tasks/t1", "task"), ("search", "search")],
)
def test_each_record_kind_has_a_path(path, screen):
    route = parse_route([path])
    assert (route.screen, route.path) == (screen, path)


def test_anything_else_is_an_id_to_resolve():
    assert parse_route(["-"]) == Route("id", "-")
    assert parse_route(["1a2b", "--status", "FAILED"]).options == (("status", "FAILED"),)


def test_bad_paths_and_options_are_one_line_errors():
    with pytest.raises(UsageError, match="has no option --status .takes no options"):
        parse_route(["jobs/j1", "--status", "DONE"])
    with pytest.raises(UsageError, match="unknown console path 'nope/x'"):
        parse_route(["nope/x"])
    with pytest.raises(UsageError, match="--find needs a value"):
        parse_route(["--find"])


def test_filter_text_is_options_or_words_to_find():
    assert parse_filter("execution", "--status FAILED") == (("status", "FAILED"),)
    assert parse_filter("execution", "greet a") == (("find", "greet a"),)
    assert parse_filter("execution", "  ") == ()
    assert format_options((("find", "greet a"),)) == "--find 'greet a'"
