"""``redun run``: importing the script, finding the task, flags, help, errors, execution."""

from __future__ import annotations

import json
import logging
import os
import pickle
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from redun.cli import run as run_module
from redun.errors import UsageError

HELLO = """
from redun import task

redun_namespace = "hello"


def record(name):
    with open("runs.txt", "a") as out:
        out.write(name + "\\n")


@task()
def get_planet():
    record("get_planet")
    return "World"


@task()
def greeter(greet: str, thing: str) -> str:
    record("greeter")
    return f"{greet}, {thing}!"


@task()
def main(greet: str = "Hello") -> str:
    \"\"\"Greet the planet.\"\"\"
    record("main")
    return greeter(greet, get_planet())


@task()
def count(n: int, scale: float = 1.0) -> float:
    return n * scale


@task()
def fail() -> None:
    raise ValueError("boom")
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A project directory as cwd; modules imported from it are forgotten afterwards."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REDUN_CONFIG", raising=False)
    monkeypatch.setenv("REDUN_GIT_COMMIT", "0123abcd")
    monkeypatch.setenv("REDUN_GIT_ORIGIN_URL", "git@example.com:me/wf.git")
    monkeypatch.setenv("REDUN_USER", "tester")
    saved_path = list(sys.path)
    yield tmp_path
    sys.path[:] = saved_path
    for name, module in list(sys.modules.items()):
        if str(getattr(module, "__file__", None) or "").startswith(str(tmp_path)):
            del sys.modules[name]


@pytest.fixture
def hello(workdir: Path) -> Path:
    path = workdir / "hello.py"
    path.write_text(HELLO)
    return path


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Replace the scheduler hand-off: records what ``redun run`` would run, returns 42."""
    calls: list[dict[str, Any]] = []

    def fake_execute(task, args, kwargs, **run_kwargs):
        calls.append({"task": task, "args": args, "kwargs": kwargs, **run_kwargs})
        return 42

    monkeypatch.setattr(run_module, "_execute", fake_execute)
    return calls


def error_line(result: Any) -> str:
    lines = [line for line in result.err.splitlines() if line.startswith("redun: error:")]
    assert len(lines) == 1, result.err
    return lines[0]


# -- help, info, task lookup -------------------------------------------------------------


@pytest.mark.parametrize("form", ["--help", "-h", "help"])
def test_task_help_shows_arguments_and_docstring(hello: Path, redun, form: str) -> None:
    result = redun("run", "hello.py", "main", form)
    assert result.code == 0
    assert result.out.startswith("usage: redun run hello.py main [--greet GREET]")
    assert "Greet the planet." in result.out
    assert "str (default: 'Hello')" in result.out


def test_task_info_shows_fullname_hash_and_source(hello: Path, redun) -> None:
    result = redun("run", "hello.py", "greeter", "info")
    assert result.code == 0
    assert result.out.splitlines()[0] == "Task hello.greeter"
    assert "namespace: hello" in result.out
    assert 'return f"{greet}, {thing}!"' in result.out


def test_help_as_task_lists_the_scripts_tasks(hello: Path, redun) -> None:
    result = redun("run", "hello.py", "help")
    assert result.code == 0
    assert result.out.splitlines()[0] == "Tasks available:"
    assert "  hello.main" in result.out.splitlines()


def test_missing_task_lists_the_scripts_tasks(hello: Path, redun) -> None:
    result = redun("run", "hello.py")
    assert result.code == 2
    assert error_line(result).startswith("redun: error: missing TASK (tasks in hello.py: ")


def test_unknown_task_names_the_script_and_its_tasks(hello: Path, redun) -> None:
    result = redun("run", "hello.py", "foo")
    assert result.code == 2
    line = error_line(result)
    assert line.startswith("redun: error: unknown task 'foo' in hello.py (tasks: hello.")
    assert "hello.greeter" in line and "hello.main" in line


def test_task_by_fullname(hello: Path, redun) -> None:
    result = redun("run", "hello.py", "hello.greeter", "--help")
    assert result.code == 0
    assert "--thing THING" in result.out


def test_ambiguous_short_name_lists_fullnames(workdir: Path, redun) -> None:
    (workdir / "twins.py").write_text(
        textwrap.dedent(
            """
            from redun import task

            @task(namespace="left")
            def step():
                return 1

            @task(namespace="right")
            def step():
                return 2
            """
        )
    )
    result = redun("run", "twins.py", "step")
    assert result.code == 2
    assert error_line(result) == (
        "redun: error: task name 'step' is ambiguous (left.step, right.step): use a fullname"
    )


# -- importing the script ------------------------------------------------------------------


def test_missing_script(workdir: Path, redun) -> None:
    result = redun("run", "nope.py", "main")
    assert result.code == 2
    assert error_line(result) == "redun: error: workflow script 'nope.py' not found"


def test_missing_module(workdir: Path, redun) -> None:
    result = redun("run", "no_such_wf_module", "main")
    assert result.code == 2
    assert "workflow module 'no_such_wf_module' not found" in error_line(result)


def test_script_that_raises_on_import(workdir: Path, redun) -> None:
    (workdir / "broken.py").write_text("x = undefined_name\n")
    result = redun("run", "broken.py", "main")
    assert result.code == 1
    assert error_line(result) == (
        "redun: error: cannot import 'broken.py': NameError: name 'undefined_name' is not defined"
    )


def test_script_with_syntax_error(workdir: Path, redun) -> None:
    (workdir / "bad_syntax.py").write_text("def f(:\n")
    result = redun("run", "bad_syntax.py", "main")
    assert result.code == 1
    assert error_line(result).startswith("redun: error: cannot import 'bad_syntax.py': SyntaxError")


def test_script_in_a_subdirectory_imports_its_siblings(workdir: Path, redun) -> None:
    (workdir / "wf").mkdir()
    (workdir / "wf" / "sibling_helpers.py").write_text("GREETING = 'Howdy'\n")
    (workdir / "wf" / "subdir_flow.py").write_text(
        textwrap.dedent(
            """
            from redun import task
            from sibling_helpers import GREETING

            @task()
            def hi(name: str = GREETING):
                return name
            """
        )
    )
    result = redun("run", "wf/subdir_flow.py", "hi", "--help")
    assert result.code == 0, result.err
    assert "(default: 'Howdy')" in result.out


def test_script_named_like_an_imported_module_is_refused(workdir: Path, redun) -> None:
    (workdir / "json.py").write_text("from redun import task\n")
    result = redun("run", "json.py", "main")
    assert result.code == 2
    assert "has the module name 'json' of an already imported module" in error_line(result)
    assert "loads" in dir(sys.modules["json"])


def test_edited_script_is_imported_again(workdir: Path, redun) -> None:
    script = workdir / "edited_flow.py"
    template = (
        "from redun import task\n\n@task(namespace='edited')\n"
        "def hi(x: str = {!r}):\n    return x\n"
    )
    script.write_text(template.format("first"))
    assert "(default: 'first')" in redun("run", "edited_flow.py", "hi", "--help").out
    script.write_text(template.format("second"))
    os.utime(script, ns=(1, 10**18))  # a distinct mtime even on coarse file systems
    assert "(default: 'second')" in redun("run", "edited_flow.py", "hi", "--help").out


def test_module_name_is_imported_from_the_cwd(workdir: Path, redun) -> None:
    (workdir / "pkg_flows").mkdir()
    (workdir / "pkg_flows" / "__init__.py").write_text("")
    (workdir / "pkg_flows" / "flow.py").write_text(
        "from redun import task\n\n@task(namespace='pkgflow')\ndef go(n: int):\n    return n\n"
    )
    result = redun("run", "pkg_flows.flow", "go", "--help")
    assert result.code == 0, result.err
    assert "--n N" in result.out


# -- task arguments and run options (scheduler replaced) ------------------------------------


def test_task_flags_become_keyword_arguments(hello: Path, redun, captured) -> None:
    result = redun("run", "hello.py", "count", "--n", "3", "--scale", "0.5")
    assert result.code == 0, result.err
    assert result.out == "42\n"
    [call] = captured
    assert call["task"].fullname == "hello.count"
    assert (call["args"], call["kwargs"]) == ([], {"n": 3, "scale": 0.5})
    assert call["cache"] is True and call["dryrun"] is False


def test_bad_task_argument_is_a_usage_error(hello: Path, redun, captured) -> None:
    result = redun("run", "hello.py", "count", "--n", "abc")
    assert result.code == 2
    assert error_line(result) == "redun: error: invalid value for --n: 'abc' is not an int"
    assert captured == []


def test_unknown_task_flag_lists_valid_flags(hello: Path, redun, captured) -> None:
    result = redun("run", "hello.py", "greeter", "--greet", "Hi", "--foo", "1")
    assert result.code == 2
    assert error_line(result) == (
        "redun: error: unknown argument '--foo' for task hello.greeter (valid: --greet, --thing)"
    )


def test_missing_required_task_argument(hello: Path, redun, captured) -> None:
    result = redun("run", "hello.py", "greeter", "--greet", "Hi")
    assert result.code == 2
    assert "missing required argument --thing for task hello.greeter" in error_line(result)
    assert captured == []


def test_run_options_after_task_apply_as_upstream(hello: Path, redun, captured) -> None:
    # Upstream takes `redun run` options anywhere on the line.
    Path("in.pkl").write_bytes(pickle.dumps(((), {"n": 5})))
    result = redun("run", "hello.py", "count", "-i", "in.pkl", "--scale", "3", "--no-cache")
    assert result.code == 0, result.err
    assert captured[0]["kwargs"] == {"n": 5, "scale": 3.0}
    assert captured[0]["cache"] is False


def test_task_flag_named_like_a_run_option_stays_the_tasks(workdir: Path, redun, captured) -> None:
    (workdir / "notes.py").write_text(
        "from redun import task\n"
        "redun_namespace = 'notes'\n"
        "@task()\n"
        "def note(doc: str) -> str:\n"
        "    return doc\n"
    )
    result = redun("run", "notes.py", "note", "--doc", "hi", "--no-cache")
    assert result.code == 0, result.err
    assert captured[0]["kwargs"] == {"doc": "hi"}
    assert captured[0]["cache"] is False


def test_double_dash_before_task_flags(hello: Path, redun, captured) -> None:
    result = redun("run", "hello.py", "count", "--", "--n", "2")
    assert result.code == 0, result.err
    assert captured[0]["kwargs"] == {"n": 2}


def test_file_argument_becomes_a_file(workdir: Path, redun, captured) -> None:
    file_module = pytest.importorskip("redun.file")
    if not hasattr(file_module, "File"):
        pytest.skip("redun.file.File is not written yet")
    (workdir / "files_flow.py").write_text(
        "from redun import File, task\n\n\n"
        "@task(namespace='files')\ndef count_lines(path: File) -> int:\n    return 0\n"
    )
    result = redun("run", "files_flow.py", "count_lines", "--path", "data/in.txt")
    assert result.code == 0, result.err
    value = captured[0]["kwargs"]["path"]
    assert isinstance(value, file_module.File)
    assert value.path == "data/in.txt"


def test_run_options(hello: Path, redun, captured) -> None:
    execution_id = "0b7c7c3e-8e5f-4d55-9a1b-6c1d1e0f2a3b"
    result = redun(
        "run",
        "--no-cache",
        "--dryrun",
        "--no-prov",
        "-o",
        "memoize=true",
        "-o",
        "executor=batch",
        "-t",
        "env=prod",
        "-t",
        "n=3",
        "-t",
        'json=["a", 1]',
        "--execution-id",
        execution_id,
        "--context",
        "db.host=x.org",
        "--context",
        "db.port=5432",
        "hello.py",
        "count",
        "--n",
        "1",
    )
    assert result.code == 0, result.err
    [call] = captured
    root = call["task"]
    assert root.get_task_option("prov") is False
    assert root.get_task_option("memoize") is True
    assert root.get_task_option("executor") == "batch"
    assert call["cache"] is False and call["dryrun"] is True
    assert call["execution_id"] == execution_id
    assert call["context"] == {"db": {"host": "x.org", "port": 5432}}
    tags = call["tags"]
    assert ("env", "prod") in tags and ("n", 3) in tags and ("json", ["a", 1]) in tags
    assert ("redun.version", __import__("redun").__version__) in tags
    assert ("git_commit", "0123abcd") in tags
    assert ("user", "tester") in tags
    assert ("project", "hello") in tags  # the root task's namespace
    assert call["argv"][:2] == ["redun", "run"]
    assert call["argv"][-4:] == ["hello.py", "count", "--n", "1"]


def test_project_and_doc_tags(hello: Path, redun, captured) -> None:
    options = ["-p", "proj", "--doc", "why", "-u", "ann"]
    result = redun("run", *options, "hello.py", "count", "--n", "1")
    assert result.code == 0, result.err
    tags = captured[0]["tags"]
    assert ("project", "proj") in tags and ("doc", "why") in tags and ("user", "ann") in tags


def test_context_file_is_the_base_for_context_updates(hello: Path, redun, captured) -> None:
    Path("ctx.json").write_text(json.dumps({"db": {"host": "a", "user": "u"}, "level": 1}))
    options = ["--context-file", "ctx.json", "--context", "db.host=b"]
    result = redun("run", *options, "hello.py", "count", "--n", "1")
    assert result.code == 0, result.err
    assert captured[0]["context"] == {"db": {"host": "b", "user": "u"}, "level": 1}


def test_input_pickle_supplies_arguments_and_flags_override(hello: Path, redun, captured) -> None:
    Path("in.pkl").write_bytes(pickle.dumps(((), {"n": 5, "scale": 2.0})))
    result = redun("run", "-i", "in.pkl", "hello.py", "count", "--scale", "3")
    assert result.code == 0, result.err
    assert captured[0]["kwargs"] == {"n": 5, "scale": 3.0}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-t", "novalue"], "invalid --tag 'novalue': expected key=value"),
        (["-o", "=1"], "invalid --option '=1': expected key=value"),
        (["-t", "x=[1,"], "invalid JSON in --tag value '[1,'"),
        (["--execution-id", "not-a-uuid"], "--execution-id 'not-a-uuid' is not a UUID"),
        (["-i", "missing.pkl"], "cannot read --input 'missing.pkl'"),
        (["--context-file", "missing.json"], "cannot read --context-file 'missing.json'"),
        (["--rerun"], "no execution, job, call node, task or value has id 'count'"),
    ],
)
def test_bad_run_options(hello: Path, redun, captured, argv: list[str], message: str) -> None:
    result = redun("run", *argv, "hello.py", "count", "--n", "1")
    assert result.code == 2
    assert message in error_line(result)
    assert captured == []


def test_none_result_prints_nothing(hello: Path, redun, monkeypatch) -> None:
    monkeypatch.setattr(run_module, "_execute", lambda *args, **kwargs: None)
    result = redun("run", "hello.py", "fail")
    assert (result.code, result.out) == (0, "")


def test_parse_key_value_decodes_like_tags() -> None:
    parse = run_module.parse_key_value
    assert parse("a=1", "-t") == ("a", 1)
    assert parse("a=1.5", "-t") == ("a", 1.5)
    assert parse("a=true", "-t") == ("a", True)
    assert parse("a=", "-t") == ("a", None)
    assert parse('a="1"', "-t") == ("a", "1")
    assert parse("a=b=c", "-t") == ("a", "b=c")
    with pytest.raises(UsageError):
        parse("a", "-t")


def test_cli_logging_goes_to_stderr_with_prefix(capsys: pytest.CaptureFixture[str]) -> None:
    run_module.configure_cli_logging()
    run_module.configure_cli_logging()
    logging.getLogger("redun").warning("hello there")
    assert capsys.readouterr().err == "[redun] hello there\n"


# -- end to end (needs the scheduler, executors and backend) --------------------------------


def runs() -> list[str]:
    return Path("runs.txt").read_text().split() if os.path.exists("runs.txt") else []


def test_hello_world_runs_then_replays_from_cache(hello: Path, redun) -> None:
    first = redun("run", "hello.py", "main")
    assert first.code == 0, first.err
    assert first.out == "'Hello, World!'\n"
    assert "[redun] " in first.err
    assert (hello.parent / ".redun" / "redun.ini").exists()
    assert sorted(runs()) == ["get_planet", "greeter", "main"]

    second = redun("run", "hello.py", "main")
    assert second.code == 0, second.err
    assert second.out == "'Hello, World!'\n"
    assert sorted(runs()) == ["get_planet", "greeter", "main"]  # no body ran again

    third = redun("run", "hello.py", "main", "--greet", "Hi")
    assert third.out == "'Hi, World!'\n"
    assert sorted(runs()) == ["get_planet", "greeter", "greeter", "main", "main"]


def test_greeter_with_flags(hello: Path, redun) -> None:
    result = redun("run", "hello.py", "greeter", "--greet", "Hello", "--thing", "Mars")
    assert result.code == 0, result.err
    assert result.out == "'Hello, Mars!'\n"


def test_no_cache_reruns_every_body(hello: Path, redun) -> None:
    assert redun("run", "hello.py", "main").code == 0
    result = redun("run", "--no-cache", "hello.py", "main")
    assert result.code == 0, result.err
    assert len(runs()) == 6


def test_failed_task_is_one_error_line_and_exit_1(hello: Path, redun) -> None:
    result = redun("run", "hello.py", "fail")
    assert result.code == 1
    assert error_line(result).startswith("redun: error: ValueError: boom (in job ")


def test_dryrun_stops_at_uncached_jobs(hello: Path, redun) -> None:
    """The dry run prints its plan and exits 0; --exit-code keeps upstream's exit 1."""
    result = redun("run", "--dryrun", "hello.py", "main")
    assert result.code == 0, result.err
    assert "[redun] Plan: 1 job would run, 0 jobs would be reused." in result.err
    strict = redun("run", "--dryrun", "--exit-code", "hello.py", "main")
    assert strict.code == 1
    assert "dry run: 1 job would run (--exit-code)" in error_line(strict)
    assert runs() == []
    assert redun("run", "hello.py", "main").code == 0
    replay = redun("run", "--dryrun", "hello.py", "main")
    assert (replay.code, replay.out) == (0, "'Hello, World!'\n")


def test_git_tags_come_from_the_repository_around_the_workflow(tmp_path, monkeypatch) -> None:
    """Inside a git work tree the execution is tagged with HEAD and origin; outside one
    there is no git tag (and no git process)."""
    import subprocess

    from redun.scheduler.execution_tags import default_execution_tags

    monkeypatch.delenv("REDUN_GIT_COMMIT", raising=False)
    monkeypatch.delenv("REDUN_GIT_ORIGIN_URL", raising=False)
    monkeypatch.delenv("GIT_DIR", raising=False)
    outside = tmp_path / "plain"
    outside.mkdir()
    monkeypatch.chdir(outside)
    tags = dict(default_execution_tags("tester", None, None))
    assert "git_commit" not in tags and "git_origin_url" not in tags

    repo = tmp_path / "repo"
    nested = repo / "sub" / "dir"
    nested.mkdir(parents=True)

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@x", "commit", "-q", "--allow-empty", "-m", "x")
    git("remote", "add", "origin", "https://example.org/repo.git")
    monkeypatch.chdir(nested)
    tags = dict(default_execution_tags("tester", None, None))
    assert tags["git_commit"] == git("rev-parse", "HEAD")
    assert tags["git_origin_url"] == "https://example.org/repo.git"


def test_error_line_comes_after_every_log_line(hello: Path, redun) -> None:
    result = redun("run", "--dryrun", "--exit-code", "hello.py", "main")
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert lines[-1].startswith("redun: error: dry run: 1 job would run")
    assert "[redun] Dryrun: Additional jobs would run." in lines[:-1]
    # A job the dry run would submit counts as running, as upstream redun counts it.
    all_row = next(line for line in lines if line.startswith("[redun] | ALL "))
    assert all_row.split()[3:] == ["0", "1", "0", "0", "0", "1"]


def test_a_deeply_nested_result_is_printed(workdir: Path, redun) -> None:
    (workdir / "deep.py").write_text(
        "from redun import task\n"
        "redun_namespace = 'deep_print'\n"
        "@task()\n"
        "def nested(n: int) -> list:\n"
        "    value = []\n"
        "    for _ in range(n):\n"
        "        value = [value]\n"
        "    return value\n"
    )
    result = redun("run", "deep.py", "nested", "--n", "3000")
    assert result.code == 0, result.err
    assert result.out.strip().splitlines()[-1] == "[" * 3001 + "]" * 3001


def test_tasks_without_namespace_are_named_in_a_warning(workdir: Path, redun) -> None:
    (workdir / "bare.py").write_text(
        "from redun import task, File\n\n@task()\ndef main(x: File) -> str:\n    return x.path\n"
    )
    result = redun("run", "bare.py", "main", "--x", "bare.py")
    assert result.code == 0, result.err
    assert "tasks without a namespace" in result.err and "bare.py:main" in result.err
    help_text = redun("run", "bare.py", "main", "help").out
    assert "--x X" in help_text
