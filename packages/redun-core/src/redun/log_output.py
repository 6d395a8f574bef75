"""redun's log output: ``[redun] message`` lines on stderr, the format users grep.

The CLI installs this handler at start-up; a workflow run as a plain script
(``Scheduler().run(...)``) gets it from the scheduler, as upstream redun's users do,
unless logging is already configured (a handler on the ``redun`` or the root logger).
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

logger = logging.getLogger("redun")

LINE_FORMAT = "[redun] %(message)s"


class StderrLineHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is now, so redirections (CliRunner) are honoured.

    Lines are batched and written at most every ``interval`` seconds: a job line per job
    costs a write system call each otherwise, which dominated large cached reruns.
    """

    interval = 0.2

    def __init__(self) -> None:
        super().__init__()
        self._pending: list[str] = []
        self._pending_stream: Any = None
        self._last = time.monotonic()

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass

    def emit(self, record: logging.LogRecord) -> None:
        if self._pending and self._pending_stream is not sys.stderr:
            # stderr was redirected since these lines were logged: they belong to the old one.
            self.flush()
        self._pending_stream = sys.stderr
        try:
            self._pending.append(self.format(record) + self.terminator)
        except Exception:  # pragma: no cover - logging must never raise
            self.handleError(record)
            return
        now = time.monotonic()
        if record.levelno >= logging.WARNING or now - self._last >= self.interval:
            self.flush()

    def emit_line(self, message: str) -> None:
        """An INFO line without a LogRecord (the job-line fast path); same output."""
        if type(self.formatter) is not logging.Formatter or self.formatter._fmt != LINE_FORMAT:
            logger.info(message)
            return
        if self._pending and self._pending_stream is not sys.stderr:
            self.flush()
        self._pending_stream = sys.stderr
        self._pending.append(f"[redun] {message}\n")
        if time.monotonic() - self._last >= self.interval:
            self.flush()

    def flush(self) -> None:
        self.acquire()
        try:
            pending, self._pending = self._pending, []
            stream = self._pending_stream or self.stream
            self._last = time.monotonic()
            if pending:
                try:
                    stream.write("".join(pending))
                    stream.flush()
                except ValueError:  # the stream was closed (e.g. a finished CliRunner)
                    pass
        finally:
            self.release()


def configure_cli_logging() -> None:
    """Send redun's log lines to stderr as ``[redun] message``, the format users grep.

    Idempotent, and leaves alone a ``redun`` logger that already has a handler (a user's
    own logging setup wins). The level is the one ``--log-level`` set on the group.
    """
    redun_logger = logging.getLogger("redun")
    if redun_logger.handlers:
        return
    handler = StderrLineHandler()
    handler.setFormatter(logging.Formatter(LINE_FORMAT))
    redun_logger.addHandler(handler)
    if redun_logger.level == logging.NOTSET:
        redun_logger.setLevel(logging.INFO)


def ensure_log_output() -> None:
    """Give the ``redun`` logger the CLI's output when nothing is configured yet: no
    handler on it and none on the root logger (a user's ``basicConfig`` wins)."""
    if logger.handlers or logging.getLogger().handlers:
        return
    configure_cli_logging()


def flush_log_output() -> None:
    """Write out batched lines now (end of a run, before an error line)."""
    for handler in logger.handlers:
        try:
            handler.flush()
        except Exception:  # pragma: no cover - never hide what is being reported
            pass
