from __future__ import annotations

import json
import os
import re
import shutil
import sys
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from contracts.backend_rows import fake_hash, one_call_execution
from redun.backends.db import RedunBackendDb
from redun.cli.main import cli, main

UPSTREAM_DB = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "backends", "data", "upstream-0.44.1-hello.db"
)


def make_repo(path) -> str:
    config_dir = path / ".redun"
    config_dir.mkdir()
    (config_dir / "redun.ini").write_text("[backend]\ndb_uri = sqlite:///redun.db\n")
    return str(config_dir)


@pytest.fixture
def repo(tmp_path):
    """A repo with two executions: the older tagged env=prod, the newer env=dev."""
    config_dir = make_repo(tmp_path)
    backend = RedunBackendDb("sqlite:///redun.db", config_dir=config_dir)
    backend.load()
    old = datetime.now(UTC) - timedelta(hours=1)
    backend.write(one_call_execution("a" * 36, tag="prod", start=old))
    backend.write(one_call_execution("b" * 36, tag="dev"))
    backend.close()
    return config_dir


def run(config_dir: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["-c", config_dir, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_log_lists_executions_newest_first(repo):
    lines = run(repo, "log").splitlines()
    assert lines[0] == "Recent executions:"
    execs = [line for line in lines if line.startswith("Exec ")]
    assert execs[0].startswith("Exec bbbbbbbb [ DONE ] ")
    assert execs[0].endswith(":  run wf.py add (env=dev)")
    assert execs[1].startswith("Exec aaaaaaaa [ DONE ] ")


def test_log_dash_and_tilde_show_executions(repo):
    latest = run(repo, "log", "-")
    assert latest.startswith("Exec " + "b" * 36 + " [ DONE ]")
    assert "Jobs: 1 (DONE: 1, CACHED: 0, FAILED: 0)" in latest
    assert "| ns.add        0       0       0       0       1       1" in latest
    assert "Job jbbbbbbb [ DONE ] " in latest and "ns.add(1)" in latest
    assert run(repo, "log", "~2").startswith("Exec " + "a" * 36)


def test_log_job_call_node_task_and_value(repo):
    job = run(repo, "log", "jbbbb")
    assert job.startswith("Job j" + "b" * 35 + " [ DONE ]")
    assert "Traceback: Exec bbbbbbbb > Job jbbbbbbb add" in job
    assert "Result: 2" in job
    node = run(repo, "log", "cccc")
    assert node.startswith(f"CallNode {fake_hash('c')} ns.add")
    assert "Args:   1" in node
    task = run(repo, "log", "tttt")
    assert task.startswith(f"Task {fake_hash('t')} ns.add")
    assert "return x + 1" in task
    value = run(repo, "log", "2222").splitlines()
    assert value[:2] == [f"Value {fake_hash('2')} builtins.int ", "2"]
    assert value[3:6] == ["Upstream dataflow:", "", "  value = 2"]
    # A value that cannot be unpickled shows its type and hash.
    assert run(repo, "log", "ffff").splitlines()[1] == "<redun.File ffffffff>"


def test_log_json_and_filters(repo):
    records = [
        json.loads(line) for line in run(repo, "log", "--exec", "--format", "json").splitlines()
    ]
    assert [r["id"][0] for r in records] == ["b", "a"]
    assert records[0]["tags"] == {"env": "dev"} and records[0]["status"] == "DONE"
    assert run(repo, "log", "--exec-status", "FAILED").strip() == "Recent executions:"
    assert len(run(repo, "log", "--job", "--job-status", "done").splitlines()) == 2
    assert run(repo, "log", "--task", "--count").split() == ["1", "Task"]


def test_log_errors_are_one_line(repo, capsys):
    for arg, message in (
        ("zzzz", "redun: error: no execution, job, call node, task or value has id 'zzzz'"),
        ("~3", "redun: error: execution '~3' does not exist"),
    ):
        with pytest.raises(SystemExit) as info:
            main(["-c", repo, "log", arg])
        assert info.value.code == 2
        err = capsys.readouterr().err
        assert err.startswith(message) and err.count("\n") == 1


def test_log_ambiguous_prefix(tmp_path, capsys):
    config_dir = make_repo(tmp_path)
    shutil.copy(UPSTREAM_DB, os.path.join(config_dir, "redun.db"))
    with pytest.raises(SystemExit):
        main(["-c", config_dir, "log", "1"])
    err = capsys.readouterr().err
    assert err.startswith("redun: error: id prefix '1' is ambiguous (matches ")
    assert "Execution" in err and "Job" in err


def test_log_reads_an_upstream_database(tmp_path):
    config_dir = make_repo(tmp_path)
    shutil.copy(UPSTREAM_DB, os.path.join(config_dir, "redun.db"))
    out = run(config_dir, "log")
    assert "Exec 108ffb6a [ DONE ] " in out
    assert ":  run hello.py main (project=hello, redun.version=0.44.1, user=root)" in out
    tree = run(config_dir, "log", "108ffb6a")
    assert "Jobs: 3 (DONE: 3, CACHED: 0, FAILED: 0)" in tree
    assert "  Job 1236ee8f [ DONE ] " in tree and "hello.greeter('Hello', 'World')" in tree


# -- real workflows: file paths and the filters of REFERENCE §4 ----------------------
from core.backends.sync_repos import execution_ids, run_workflow  # noqa: E402


@pytest.fixture
def file_repo(tmp_path, monkeypatch):
    """Two runs of main(out.txt, n) (n=3 tagged env=prod, n=4 tagged env=dev)."""
    config_dir = str(tmp_path / ".redun")
    os.makedirs(config_dir)
    with open(os.path.join(config_dir, "redun.ini"), "w") as handle:
        handle.write("[backend]\ndb_uri = sqlite:///redun.db\n")
    monkeypatch.chdir(tmp_path)
    run_workflow(config_dir, "out.txt", 3, tags=(("env", "prod"),))
    run_workflow(config_dir, "out.txt", 4, tags=(("env", "dev"),))
    return config_dir


def ids_of(output: str) -> list[str]:
    return [line.split()[1] for line in output.splitlines() if line.split()]


def test_log_path_names_the_producing_job(file_repo):
    out = run(file_repo, "log", "out.txt").splitlines()
    assert out[0].startswith("File ") and out[0].split()[2] == "out.txt"
    assert out[1].startswith("Produced by Job ")
    job = out[1].split()[-1]
    assert out[3].startswith(f"  Job {job}") and "synctest.make('out.txt', 4)" in out[3]
    record = json.loads(run(file_repo, "log", "out.txt", "--format", "json"))
    assert record["kind"] == "result" and record["job_id"].startswith(job)
    # An absolute path names the same file.
    assert run(file_repo, "log", os.path.abspath("out.txt")).splitlines()[1] == out[1]


def test_log_path_of_an_unrecorded_file_is_one_line_error(file_repo, capsys):
    with open("other.txt", "w") as handle:
        handle.write("x")
    with pytest.raises(SystemExit):
        main(["-c", file_repo, "log", "other.txt"])
    assert capsys.readouterr().err == (
        "redun: error: no job recorded the file other.txt; "
        "`redun log --file` lists recorded files\n"
    )


def test_log_file_listing_and_value_filters(file_repo):
    assert [line.split()[2] for line in run(file_repo, "log", "--file").splitlines()] == ["out.txt"]
    values = run(file_repo, "log", "--value-type", "redun.File").splitlines()
    assert len(values) == 2 and all(" redun.File " in line for line in values)
    assert run(file_repo, "log", "--file-path", "out*", "--count").split() == ["2", "Value"]
    assert run(file_repo, "log", "--file-path", "nope*", "--count").split() == ["0", "Value"]


def test_log_tag_and_exec_tag_filters(file_repo):
    older, newer = execution_ids(file_repo)
    dev = run(file_repo, "log", "--tag", "env=dev")
    assert ids_of(dev.split("\n\n", 1)[1]) == [newer[:8]]
    assert ids_of(run(file_repo, "log", "--exec", "-t", "env")) == [newer[:8], older[:8]]
    jobs = run(file_repo, "log", "--job", "--exec-tag", "env=prod").splitlines()
    assert len(jobs) == 3 and all("'out.txt', 4" not in line for line in jobs)
    assert run(file_repo, "log", "--job", "--exec-tag", "env=nope") == ""


def test_log_exec_id_task_hash_result_and_arg_filters(file_repo):
    older, _ = execution_ids(file_repo)
    assert len(run(file_repo, "log", "--job", "--exec-id", older[:8]).splitlines()) == 3
    task = next(
        line.split()[1]
        for line in run(file_repo, "log", "--task").splitlines()
        if line.endswith("synctest.count ")
    )
    by_hash = run(file_repo, "log", "--task-hash", task).splitlines()
    assert sorted(line.split()[0] for line in by_hash) == ["Job", "Job", "Task"]
    # The job whose result is the newest file, and the job that took it as an argument.
    newest = json.loads(run(file_repo, "log", "out.txt", "--format", "json"))["value_hash"]
    made = run(file_repo, "log", "--result", newest[:10]).splitlines()
    assert [line.split("  ")[1].split("(")[0] for line in made] == [
        "synctest.make",
        "synctest.main",
    ]
    used = run(file_repo, "log", "--arg", newest[:10]).splitlines()
    assert [line.split("  ")[1].split("(")[0] for line in used] == ["synctest.count"]


def test_log_failed_job_shows_traceback(tmp_path):
    from redun import Scheduler, task

    @task(namespace="logtest")
    def boom(x: int) -> int:
        raise ValueError(f"bad {x}")

    config_dir = make_repo(tmp_path)
    db = os.path.join(config_dir, "redun.db")
    scheduler = Scheduler(config={"backend": {"db_uri": f"sqlite:///{db}"}})
    with pytest.raises(ValueError):
        scheduler.run(boom(2))
    scheduler.backend.close()
    job = run(config_dir, "log", "--job", "--job-status", "FAILED").split()[1]
    out = run(config_dir, "log", job)
    assert "Traceback:\n" in out and 'raise ValueError(f"bad {x}")' in out
    assert "ValueError: bad 2" in out


def test_a_running_execution_and_job_show_as_run(tmp_path):
    """Upstream shows RUNNING as "[ RUN  ]" in listings."""
    config_dir = make_repo(tmp_path)
    backend = RedunBackendDb("sqlite:///redun.db", config_dir=config_dir)
    backend.load()
    rows = [row for row in one_call_execution("c" * 36) if type(row).__name__ != "JobEndRow"]
    backend.write(rows)
    backend.close()
    listing = run(config_dir, "log").splitlines()
    assert listing[2].startswith("Exec cccccccc [ RUN  ] ")
    detail = run(config_dir, "log", "-")
    assert "Job jccccccc [ RUN  ] " in detail


def test_tasks_are_listed_in_the_order_they_were_recorded(tmp_path):
    """As upstream lists them (stored order), not in hash order: five tasks started in
    one wave (so recorded in one batch) are listed in the order they were called."""
    import importlib.util
    import subprocess

    names = ["e", "b", "d", "a", "c"]
    source = "from redun import task\nredun_namespace = 'order'\n"
    for name in names:
        source += f"@task()\ndef {name}() -> str:\n    return {name!r}\n"
    source += f"@task()\ndef main() -> list:\n    return [{', '.join(n + '()' for n in names)}]\n"
    (tmp_path / "wf.py").write_text(source)
    spec = importlib.util.spec_from_file_location("order_wf", tmp_path / "wf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    hashes = [getattr(module, name).hash for name in names]
    assert hashes != sorted(hashes), "the call order must differ from hash order"

    def redun(*args: str) -> str:
        return subprocess.run(
            [sys.executable, "-m", "redun.cli.main", *args],
            cwd=tmp_path,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    redun("run", "wf.py", "main")
    listed = [word for word in redun("log", "--task").split() if word.startswith("order.")]
    assert listed == ["order.main"] + [f"order.{name}" for name in names]


def test_failed_job_shows_what_it_raised(tmp_path, monkeypatch, redun):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REDUN_CONFIG", raising=False)
    (tmp_path / "failing.py").write_text(
        "from redun import task\nredun_namespace = 'logfail'\n\n"
        "@task()\ndef boom() -> int:\n    raise ValueError('boom')\n"
    )
    try:
        assert redun("run", "failing.py", "boom").code == 1
    finally:
        import sys

        sys.modules.pop("failing", None)
    jobs = redun("log", "--job").out
    job_id = next(line.split()[1] for line in jobs.splitlines() if "logfail.boom" in line)
    shown = redun("log", job_id).out
    assert "Raised: ValueError('boom')" in shown
    assert "Result:" not in shown
    assert "Duration:" not in shown  # as upstream: only a DONE job shows its duration


def _mixed_execution(tmp_path):
    """Two runs of one workflow: the second reuses ``ok`` jobs and fails one ``check``."""
    from redun import Scheduler, task

    @task(namespace="mixed")
    def ok(x: int) -> int:
        return x

    @task(namespace="mixed", cache=False)
    def check(x: int) -> int:
        if x > 1:
            raise ValueError("too big")
        return x

    @task(namespace="mixed", cache=False)
    def main(n: int) -> list:
        # check waits for ok(n): the cached ok jobs are settled before it fails.
        return [ok(i) for i in range(3)] + [check(ok(n))]

    config_dir = make_repo(tmp_path)
    db = os.path.join(config_dir, "redun.db")
    scheduler = Scheduler(config={"backend": {"db_uri": f"sqlite:///{db}"}})
    scheduler.run(main(1))
    with pytest.raises(ValueError):
        scheduler.run(main(2))
    scheduler.backend.close()
    return config_dir


def test_execution_status_table_counts_cached_done_and_failed(tmp_path):
    config_dir = _mixed_execution(tmp_path)
    shown = run(config_dir, "log", "-")
    table = {line.split()[1]: line.split()[2:] for line in shown.splitlines() if "| mixed." in line}
    # PENDING RUNNING FAILED CACHED DONE TOTAL
    # ok(2) is called twice (in the list and for check): one job, as upstream.
    assert table["mixed.ok"] == ["0", "0", "0", "3", "0", "3"]
    assert table["mixed.check"] == ["0", "0", "1", "0", "0", "1"]
    assert "Jobs: 5 (DONE: 0, CACHED: 3, FAILED: 2)" in shown
    tree = shown.split("-" * 80)[1].splitlines()[1:]
    assert [line.split("  ")[-1].split("(")[0].strip() for line in tree] == [
        "mixed.main",
        "mixed.ok",
        "mixed.ok",
        "mixed.ok",
        "mixed.check",
    ]
    assert tree[1].startswith("  Job ")


def test_compute_saved_is_a_note_on_stderr_after_upstreams_layout(tmp_path):
    """stdout stays upstream's layout line for line; the savings note follows on stderr."""
    config_dir = _mixed_execution(tmp_path)
    result = CliRunner().invoke(cli, ["-c", config_dir, "log", "-"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Cache:" not in result.stdout
    assert result.stdout.splitlines()[-5].startswith("Job ")
    assert result.stderr.startswith("Cache: reused 3 jobs")


def test_pager_feed_streams_lines_and_raises_early_errors():
    from redun.cli.pager import page_lines
    from redun.errors import UsageError

    def lines(emit):
        for i in range(5000):
            emit(f"line {i}")

    runner = CliRunner()
    result = runner.invoke(click_page(page_lines, lines))
    assert result.output.splitlines() == [f"line {i}" for i in range(5000)]

    def unknown(emit):
        raise UsageError("no execution xyz in the repository")

    with pytest.raises(UsageError, match="no execution xyz"):
        page_lines(unknown)


def click_page(page_lines, render):
    import click

    @click.command()
    def command():
        page_lines(render)

    return command


FILE_WORKFLOW = """
from redun import task, File

redun_namespace = "flowtest"

@task()
def write(path: str, text: str):
    out = File(path)
    out.write(text)
    return out

@task()
def shout(text: str):
    return text.upper()

@task()
def main(path: str):
    return write(path, shout("hi"))
"""


def test_log_path_shows_the_upstream_dataflow(tmp_path, monkeypatch, redun):
    """As upstream: a file's producing job ends with where the file came from."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REDUN_CONFIG", raising=False)
    (tmp_path / "flow.py").write_text(FILE_WORKFLOW)
    assert redun("run", "flow.py", "main", "--path", "out.txt").code == 0
    result = redun("log", "--no-pager", "out.txt")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    start = lines.index("    Upstream dataflow:")
    text = re.sub(r"hash=[0-9a-f]{8}", "hash=X", re.sub(r"<[0-9a-f]{8}>", "<H>", result.out))
    section = text.splitlines()[start:]
    assert section == [
        "    Upstream dataflow:",
        "",
        "      result = File(path=out.txt, hash=X)",
        "",
        "      result <-- <H> write(path, text)",
        "        path = <H> 'out.txt'",
        "        text = <H> 'HI'",
        "",
        "      path <-- argument of <H> main(path)",
        "           <-- origin",
        "",
        "      text <-- <H> shout(text_2)",
        "        text_2 = <H> 'hi'",
        "",
    ]
    # The task's source comes first, then a blank line before the section.
    assert lines[start - 2 : start] == ["", ""]


def test_job_traceback_names_the_direct_caller(tmp_path, monkeypatch, redun):
    """Jobs above the caller are counted: Exec > (1 Job) > Job caller > Job itself."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REDUN_CONFIG", raising=False)
    (tmp_path / "flow.py").write_text(
        FILE_WORKFLOW + "\n@task()\ndef top(path: str):\n    return main(path)\n"
    )
    assert redun("run", "flow.py", "top", "--path", "out.txt").code == 0
    out = redun("log", "--no-pager", "out.txt").out
    traceback = [line for line in out.splitlines() if "Traceback: " in line][0]
    assert re.fullmatch(
        r"  Traceback: Exec \w{8} > \(1 Job\) > Job \w{8} main > Job \w{8} write", traceback
    )
