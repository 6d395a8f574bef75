"""The per-job log lines (``Run    Job ...``, ``Cached Job ...``) at a price a large
fan-out can pay.

A ``LogRecord`` per job costs ~20 us (caller lookup, record construction, handler
dispatch): a tenth of a cached 5,000-job rerun. When the only consumer of redun's logger
is a handler that can take preformatted lines (the CLI's), job lines go straight to it;
any other logging setup (a user's handler, a filter, propagation to configured root
handlers) gets ordinary records, exactly as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any


def job_line_writer(logger: Any) -> Callable[[str], None]:
    """A function logging one INFO job line through ``logger``, taking the fast path when
    nothing but a line-taking handler would see the record."""
    handler = _sole_line_handler(logger)
    if handler is None:
        # ``log(level, msg)``: the one call upstream's scheduler makes on its logger, so
        # code that wraps or replaces ``logger.log`` (or the whole logger) sees job lines.
        return partial(logger.log, logging.INFO)
    return handler.emit_line


def _sole_line_handler(logger: Any) -> Any:
    if not isinstance(logger, logging.Logger) or not logger.isEnabledFor(logging.INFO):
        return None
    if "log" in vars(logger):
        # Someone wrapped this logger's log method (a test, a tool): it sees every line.
        return None
    handlers: list[logging.Handler] = []
    current: logging.Logger | None = logger
    while current is not None:
        if current.filters:
            return None
        handlers.extend(current.handlers)
        if not current.propagate:
            break
        current = current.parent  # type: ignore[assignment]
    if len(handlers) != 1:
        return None
    (handler,) = handlers
    if handler.filters or handler.level > logging.INFO or not hasattr(handler, "emit_line"):
        return None
    return handler
