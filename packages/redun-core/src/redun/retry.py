"""One retry policy for everything redun retries: capped exponential backoff on errors
that a caller classifies as passing.

The database writer, the database reads of a server backend and the start of a script
file that another thread is still closing all retry the same way; only how often, how
long and which errors count differ, and those are the policy's fields.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from redun.errors import BackendError

T = TypeVar("T")
logger = logging.getLogger("redun")


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to retry an operation.

    Parameters
    ----------
    retries : int
        Retries after the first attempt (``retries + 1`` attempts in all).
    backoff : float
        Seconds before the first retry; each later wait doubles it.
    backoff_max : float
        The longest wait, in seconds.
    is_transient : callable
        ``is_transient(error)``: True when the same call may succeed later (a lock held
        by another process, a lost connection). Other errors are raised at once.
    """

    retries: int
    backoff: float
    backoff_max: float
    is_transient: Callable[[BaseException], bool]

    def delay(self, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt`` (0-based): exponential, capped."""
        return min(self.backoff * (2**attempt), self.backoff_max)

    def should_retry(self, error: BaseException, attempt: int) -> bool:
        """Whether attempt number ``attempt`` (0-based), failed with ``error``, gets another.

        A ``BackendError`` that wraps a driver error (``raise ... from exc``) is judged by
        the driver error, which is what ``is_transient`` knows how to read.
        """
        if attempt >= self.retries:
            return False
        if isinstance(error, BackendError) and error.__cause__ is not None:
            error = error.__cause__
        return self.is_transient(error)

    def call(self, func: Callable[..., T], *args: Any, what: str = "", **kwargs: Any) -> T:
        """``func(*args, **kwargs)``, retried while it fails transiently; the last error
        is raised.

        Each retry is logged as a warning naming ``what`` (nothing is logged without it).
        """
        attempt = 0
        while True:
            try:
                return func(*args, **kwargs)
            except Exception as error:
                if not self.should_retry(error, attempt):
                    raise
                self.wait(error, attempt, what)
                attempt += 1

    def wait(self, error: BaseException, attempt: int, what: str = "") -> None:
        """Log retry number ``attempt`` of ``what`` and sleep its delay."""
        delay = self.delay(attempt)
        if what:
            logger.warning(
                "%s failed (attempt %d/%d), retrying in %.1fs: %s",
                what,
                attempt + 1,
                self.retries + 1,
                delay,
                first_line(error),
            )
        time.sleep(delay)


def first_line(error: BaseException) -> str:
    """The first line of an error (of the driver error a SQLAlchemy one wraps, ``.orig``)."""
    text = str(getattr(error, "orig", None) or error).strip().splitlines()
    return text[0] if text else type(error).__name__
