"""Preparing and running scripts: dedent, shebangs, stdout, ScriptError messages."""

from __future__ import annotations

import pickle

import pytest
from redun.errors import RedunError
from redun.scripting import (
    ScriptError,
    exec_script,
    get_command_eof,
    get_wrapped_command,
    prepare_command,
)


def test_prepare_command_dedents_and_adds_bash_with_fail_fast():
    command = prepare_command(
        """
        echo one
        echo two
        """
    )
    assert command == "#!/usr/bin/env bash\nset -exo pipefail\necho one\necho two"


def test_prepare_command_keeps_an_explicit_interpreter():
    command = prepare_command(
        """
        #!/usr/bin/env python3
        print('hi')
        """
    )
    assert command == "#!/usr/bin/env python3\nprint('hi')"


def test_exec_script_returns_stdout_bytes():
    assert exec_script(prepare_command("echo hello; echo world")) == b"hello\nworld\n"


def test_exec_script_honours_a_python_shebang():
    command = prepare_command(
        """
        #!/usr/bin/env python3
        import sys
        print(sys.version_info[0])
        """
    )
    assert exec_script(command) == b"3\n"


def test_a_failing_command_stops_the_script():
    # set -e: the echo after the failing command never runs.
    with pytest.raises(ScriptError):
        exec_script(prepare_command("false\necho unreachable"))


def test_script_error_is_one_line_with_exit_code_and_stderr_tail():
    with pytest.raises(ScriptError) as info:
        exec_script(
            prepare_command("echo first problem >&2\necho the real problem >&2\nexit 3"),
            label="script task 'demo.step'",
        )
    error = info.value
    assert str(error) == "script task 'demo.step' exited with code 3: the real problem"
    assert "\n" not in str(error)
    assert error.returncode == 3
    # The whole stderr (with bash's trace lines) stays available.
    assert "first problem" in error.message
    assert "+ exit 3" in error.message
    assert isinstance(error, RedunError)


def test_script_error_survives_pickling():
    # Errors cross process boundaries and are stored as ErrorValues.
    error = pickle.loads(pickle.dumps(ScriptError(b"boom\n", 2, "script `make`")))
    assert str(error) == "script `make` exited with code 2: boom"


def test_script_error_without_stderr_says_so():
    with pytest.raises(ScriptError, match=r"exited with code 4 \(no stderr\)"):
        exec_script("#!/bin/sh\nexit 4")


def test_eof_marker_avoids_lines_of_the_command():
    assert get_command_eof("echo hi") == "EOF"
    assert get_command_eof("cat <<EOF\nx\nEOF\nEOF1") == "EOF2"


def test_wrapped_command_runs_a_python_script_inside_bash():
    inner = prepare_command("#!/usr/bin/env python3\nprint(6 * 7)")
    assert exec_script(prepare_command(get_wrapped_command(inner))) == b"42\n"


def test_a_script_file_busy_from_a_concurrent_fork_is_retried(monkeypatch):
    # ETXTBSY happens when another thread forks while the script file is still open for
    # writing; the kernel race cannot be forced, so the first exec reports it here.
    import errno
    import subprocess

    from redun.scripting import exec_script

    real_run = subprocess.run
    attempts = []

    def busy_once(args, **kwargs):
        attempts.append(args)
        if len(attempts) == 1:
            raise OSError(errno.ETXTBSY, "Text file busy")
        return real_run(args, **kwargs)

    monkeypatch.setattr(subprocess, "run", busy_once)
    assert exec_script("#!/bin/sh\necho hi\n") == b"hi\n"
    assert len(attempts) == 2
