"""One real server per test session, started on first use and stopped at exit.

A server that cannot start skips the tests that need it, with the reason, except in CI
(``CI`` set), where it fails them: CI must never go green by skipping.
"""

from __future__ import annotations

import atexit
import os
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import pytest

S = TypeVar("S")


class SessionServer(Generic[S]):
    """``get()`` returns the running server, starting it once (``start`` must return an
    object with ``stop()``); a failed start is remembered and reported every time."""

    def __init__(self, what: str, start: Callable[[], S]) -> None:
        self.what = what
        self._start = start
        self._server: S | None = None
        self._error: str | None = None

    def get(self) -> S:
        if self._server is None and self._error is None:
            try:
                server: Any = self._start()
                atexit.register(server.stop)
                self._server = server
            except Exception as error:
                self._error = f"{type(error).__name__}: {error}"
        if self._server is None:
            message = f"cannot start {self.what}: {self._error}"
            if os.environ.get("CI"):
                pytest.fail(f"CI requires {self.what}: {message}", pytrace=False)
            pytest.skip(message)
        return self._server


def reset_redun_clients() -> None:
    """redun-aws caches a boto3 client per thread; a changed environment needs new ones."""
    try:
        from redun_aws.s3.clients import reset_clients
    except ImportError:
        return
    reset_clients()
