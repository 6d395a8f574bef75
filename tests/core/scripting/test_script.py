"""``script()``: staging files in and out, reactivity to inputs and outputs, bad input."""

from __future__ import annotations

import os

import pytest
from redun import File, script, task
from redun.scripting import ScriptError, ScriptFileNotFoundError

redun_namespace = "test_script"


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_default_output_is_stdout(scheduler):
    assert scheduler.run(script("echo hello")) == b"hello\n"


def test_argv_list_is_shell_quoted(scheduler):
    assert scheduler.run(script(["echo", "two words", "$HOME"])) == b"two words $HOME\n"


def test_stages_inputs_in_and_outputs_out(workdir, scheduler):
    (workdir / "src.txt").write_text("a\nb\nc\n")
    os.mkdir("remote")
    result = scheduler.run(
        script(
            "wc -l < in.txt > out.txt",
            inputs=[File("src.txt").stage("in.txt")],
            outputs={"o": File("remote/dst.txt").stage("out.txt"), "n": 7},
        )
    )
    assert set(result) == {"o", "n"}
    assert result["n"] == 7
    assert isinstance(result["o"], File)
    assert result["o"].path == "remote/dst.txt"
    assert (workdir / "remote/dst.txt").read_text().strip() == "3"
    # The local copies are the script's working files.
    assert (workdir / "in.txt").exists()


def test_plain_output_file_is_written_in_place(workdir, scheduler):
    result = scheduler.run(script("echo made > made.txt", outputs=[File("made.txt"), File("-")]))
    assert result[0].read() == "made\n"
    assert result[1] == b""  # the second output is the script's stdout


def test_tempdir_keeps_working_files_out_of_the_cwd(workdir, scheduler):
    (workdir / "src.txt").write_text("x\n")
    dest = workdir / "dst.txt"
    result = scheduler.run(
        script(
            "pwd > where.txt; cat in.txt >> where.txt",
            inputs=[File(str(workdir / "src.txt")).stage("in.txt")],
            outputs=File(str(dest)).stage("where.txt"),
            tempdir=True,
        )
    )
    ran_in, copied = result.read().splitlines()
    assert ran_in != str(workdir)
    assert not os.path.exists(ran_in)  # removed afterwards
    assert copied == "x"
    assert not (workdir / "in.txt").exists()


def _count_lines(src: str, dst: str) -> object:
    return script(
        "wc -l < in.txt > out.txt",
        inputs=[File(src).stage("in.txt")],
        outputs=File(dst).stage("out.txt"),
    )


@task()
def count_lines(src: str, dst: str) -> File:
    return _count_lines(src, dst)


def test_second_run_is_cached_and_deleting_the_output_reruns_the_script(
    workdir, make_scheduler, ran_tasks
):
    (workdir / "src.txt").write_text("1\n2\n")
    first = make_scheduler()
    assert first.run(count_lines("src.txt", "dst.txt")).read().strip() == "2"
    assert "redun.script_task" in ran_tasks(first)

    second = make_scheduler()
    second.run(count_lines("src.txt", "dst.txt"))
    assert ran_tasks(second) == []

    os.remove("dst.txt")
    third = make_scheduler()
    assert third.run(count_lines("src.txt", "dst.txt")).read().strip() == "2"
    assert "redun.script_task" in ran_tasks(third)
    assert (workdir / "dst.txt").exists()


def test_changing_the_input_file_reruns_the_script(workdir, make_scheduler, ran_tasks):
    (workdir / "src.txt").write_text("1\n")
    make_scheduler().run(count_lines("src.txt", "dst.txt"))
    (workdir / "src.txt").write_text("1\n2\n3\n")
    again = make_scheduler()
    assert again.run(count_lines("src.txt", "dst.txt")).read().strip() == "3"
    assert "redun.script_task" in ran_tasks(again)


def test_missing_input_file_is_a_one_line_error(workdir, scheduler):
    with pytest.raises(ScriptFileNotFoundError) as info:
        scheduler.run(_count_lines("missing.txt", "dst.txt"))
    assert str(info.value) == (
        "script input 'missing.txt' does not exist; create it or fix the path given in inputs="
    )
    assert isinstance(info.value, FileNotFoundError)


def test_output_never_written_is_a_one_line_error(workdir, scheduler):
    with pytest.raises(ScriptFileNotFoundError, match="script output 'never.txt' was not written"):
        scheduler.run(script("echo nothing", outputs=File("never.txt")))


def test_staged_output_never_written_fails_the_copy_out(workdir, scheduler):
    with pytest.raises(ScriptError, match=r"^script `true` exited with code 1: cp: .*out\.txt"):
        scheduler.run(script("true", outputs=File("dst.txt").stage("out.txt")))


def test_non_zero_exit_names_the_command(workdir, scheduler):
    with pytest.raises(ScriptError) as info:
        scheduler.run(script("grep pattern nowhere.txt"))
    message = str(info.value)
    assert message.startswith("script `grep pattern nowhere.txt` exited with code 2: grep")
    assert "nowhere.txt" in message
    assert "\n" not in message


def test_inputs_must_be_staging_pairs():
    with pytest.raises(TypeError, match=r"inputs must be staging pairs.*got File"):
        script("true", inputs=[File("x.txt")])


def test_task_options_reach_the_script_job(workdir, scheduler):
    # The process executor runs the script in a worker process.
    out = scheduler.run(script("echo $PPID", executor="process"))
    assert int(out.decode()) != os.getpid()


def test_internal_task_hashes_match_upstream():
    from redun.scripting import _script, postprocess_script, script_task

    assert script_task.hash == "c297592b56d2daaba38424044687c8ed76854b2f"
    assert _script.hash == "6e5fa4c51f6866462951f8d6e09656431f3b2597"
    assert postprocess_script.hash == "f6fac1c39779ca13e0f35723b46fba19c3f4ebb5"


def test_script_expression_hash_matches_upstream(workdir):
    # The rendered command is an argument: its bytes decide cache hits across upstream.
    assert script(["ls", "-l"]).get_hash() == "ad8839532970e6614820b2429a527fb667e627db"


def test_script_task_never_reads_the_backend_cache():
    from redun.scripting import script_task
    from redun.task import CacheScope

    assert script_task.get_task_option("cache_scope") == CacheScope.CSE


def test_relative_outputs_of_a_tempdir_script_stay_in_the_tempdir(workdir, scheduler):
    # As upstream: the command writes them in its temporary directory, removed after it.
    result = scheduler.run(
        script("echo hi > hello.txt", tempdir=True, outputs={"hello": File("hello.txt")})
    )
    assert result["hello"].path == "hello.txt"
    assert not result["hello"].exists()
    assert not (workdir / "hello.txt").exists()


def test_tempdir_script_staged_outputs_reach_their_remote_path(workdir, scheduler):
    remote = str(workdir / "remote_hello.txt")
    result = scheduler.run(
        script("echo hi > hello.txt", tempdir=True, outputs=File(remote).stage("hello.txt"))
    )
    assert result.path == remote
    assert result.read() == "hi\n"
