"""Turning a script into something bash can run, and running it.

A script is text a task returns (``@task(script=True)``) or a command given to
``script()``. It is dedented, given ``#!/usr/bin/env bash`` with ``set -exo pipefail``
unless it names its own interpreter, written to a temporary executable file and run.
The strings produced here are hashed as task arguments, so their exact bytes match
upstream redun's: a repository written by upstream keeps its cache hits.
"""

from __future__ import annotations

import errno
import os
import re
import subprocess
import tempfile
from textwrap import dedent
from typing import Any

from redun.retry import RetryPolicy
from redun.scripting.errors import ScriptError

# Fail on the first error, show each command in stderr, fail pipelines as a whole.
DEFAULT_SHELL = "#!/usr/bin/env bash\nset -exo pipefail"

_HEREDOC_START = re.compile(r'^cat > "\$COMMAND_FILE" <<"(EOF\d*)"$')
_LABEL_WIDTH = 60


class ScriptCommand(str):
    """A prepared script that remembers which task produced it, for error messages."""

    label: str | None = None


def prepare_command(command: str, default_shell: str = DEFAULT_SHELL) -> str:
    """Dedent and strip ``command``, and give it bash unless it has its own ``#!`` line.

    Tasks write scripts as indented triple-quoted strings; dedenting lets a ``#!`` line
    land in column 0 where the kernel looks for it.
    """
    command = dedent(command).strip()
    if command.startswith("#!"):
        return command
    return default_shell.rstrip("\n") + "\n" + command


def get_task_command(task: Any, args: tuple, kwargs: dict) -> ScriptCommand:
    """Call a ``script=True`` task's function and prepare the script it returns."""
    command = task.func(*args, **kwargs)
    if not isinstance(command, str):
        raise TypeError(
            f"script task '{task.fullname}' must return its script as a str, "
            f"got {type(command).__name__}"
        )
    prepared = ScriptCommand(prepare_command(command))
    prepared.label = describe_script(task.fullname, command)
    return prepared


def describe_script(task_fullname: str, command: str) -> str:
    """Name a script for humans: the user's first command for ``script()``, else the task."""
    if task_fullname == "redun.script_task":
        first = first_user_line(command)
        if first:
            if len(first) > _LABEL_WIDTH:
                first = first[: _LABEL_WIDTH - 3] + "..."
            return f"script `{first}`"
    return f"script task '{task_fullname}'"


def first_user_line(command: str) -> str | None:
    """The first command line the user wrote, found inside ``script()``'s wrapper."""
    lines = command.splitlines()
    for i, line in enumerate(lines):
        match = _HEREDOC_START.match(line)
        if not match:
            continue
        for body_line in lines[i + 1 :]:
            text = body_line.strip()
            if text == match.group(1):
                break
            if text and not text.startswith("#") and text != "set -exo pipefail":
                return text
    return None


def exec_script(command: str, label: str | None = None) -> bytes:
    """Run a prepared script and return its stdout.

    The script is written to a temporary executable file so that its ``#!`` line picks
    the interpreter, as when a user runs a script file by hand.

    Raises
    ------
    ScriptError
        When the script exits with a non-zero code.
    """
    fd, path = tempfile.mkstemp(prefix="redun-script-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(command.encode("utf8"))
        os.chmod(path, 0o700)
        proc = _run_script_file(path)
    finally:
        os.remove(path)
    if proc.returncode != 0:
        raise ScriptError(
            proc.stderr, proc.returncode, label or getattr(command, "label", None) or "script"
        )
    return proc.stdout


def _text_busy(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno == errno.ETXTBSY


# Another thread may fork (a sibling job's subprocess) while a script file is still open
# for writing; until that child execs, exec'ing the file fails with ETXTBSY.
TEXT_BUSY_RETRY = RetryPolicy(retries=10, backoff=0.01, backoff_max=10.24, is_transient=_text_busy)


def _run_script_file(path: str) -> subprocess.CompletedProcess:
    return TEXT_BUSY_RETRY.call(subprocess.run, [path], capture_output=True, check=False)


def get_command_eof(command: str, eof_prefix: str = "EOF") -> str:
    """A heredoc terminator that no line of ``command`` equals (EOF, EOF1, EOF2, ...)."""
    lines = set(command.split("\n"))
    eof, index = eof_prefix, 0
    while eof in lines:
        index += 1
        eof = f"{eof_prefix}{index}"
    return eof


def get_wrapped_command(command: str, eof_prefix: str = "EOF") -> str:
    """Embed a script in any language into a bash snippet that runs it from a temp file.

    ``script()`` concatenates staging commands, the user's command and unstaging
    commands into one bash script; a user command with its own ``#!`` line (Python, R)
    therefore has to be written out and executed as a file of its own.
    """
    eof = get_command_eof(command, eof_prefix=eof_prefix)
    lines = [
        "(",
        "# Save command to temp file.",
        'COMMAND_FILE="$(mktemp)"',
        f'cat > "$COMMAND_FILE" <<"{eof}"',
        command,
        eof,
        "",
        "# Execute temp file.",
        'chmod +x "$COMMAND_FILE"',
        '"$COMMAND_FILE"',
        "RETCODE=$?",
        "",
        "# Remove temp file.",
        'rm "$COMMAND_FILE"',
        "",
        "exit $RETCODE",
        ")",
        "",
    ]
    return "\n".join(lines)
