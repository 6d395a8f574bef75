"""Errors of scripts: a failed command, a staged file that is not there."""

from __future__ import annotations

from redun.errors import FileSystemError, RedunError


class ScriptError(RedunError):
    """A script exited with a non-zero code.

    The message is one line: which script, its exit code and the last meaningful line of
    its stderr (bash's ``+ command`` trace lines are skipped when the script wrote
    anything else). The whole stderr stays available as ``message`` (upstream's
    attribute) and ``stderr``.

    Parameters
    ----------
    stderr : bytes
        Everything the script wrote to stderr.
    returncode : int, optional
        The exit code.
    label : str, optional
        How to name the script in the message (``script task 'ns.align'``).
    """

    __module__ = "redun.scripting"

    def __init__(
        self, stderr: bytes, returncode: int | None = None, label: str | None = None
    ) -> None:
        super().__init__(stderr, returncode, label)
        self.stderr = stderr
        self.returncode = returncode
        self.label = label
        self.message: bytes | str
        try:
            self.message = stderr.decode("utf8")
        except (UnicodeDecodeError, AttributeError):
            self.message = stderr

    def tail(self) -> str:
        """The stderr line most likely to explain the failure."""
        text = self.message if isinstance(self.message, str) else ""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        for line in reversed(lines):
            if not line.startswith("+"):
                return line
        return lines[-1] if lines else ""

    def __str__(self) -> str:
        who = self.label or "script"
        code = f" with code {self.returncode}" if self.returncode is not None else ""
        tail = self.tail()
        return f"{who} exited{code}: {tail}" if tail else f"{who} exited{code} (no stderr)"

    def __repr__(self) -> str:
        return f"ScriptError({str(self)!r})"


class ScriptFileNotFoundError(FileSystemError, FileNotFoundError):
    """A ``script()`` input is missing before the run, or an output after it.

    Caught early so the message names the file, instead of a ``cp`` error buried in a
    shell trace.
    """

    __module__ = "redun.scripting"

    def __init__(self, message: str) -> None:
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "script file not found"
