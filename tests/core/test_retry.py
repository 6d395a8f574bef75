"""One retry policy for the database writer, server reads and script starts."""

from __future__ import annotations

import logging

import pytest
from redun.errors import BackendError
from redun.retry import RetryPolicy


class Busy(Exception):
    """Stands for a passing failure (a lock held elsewhere, a dropped connection)."""


def flaky(failures: int, error: type[Exception] = Busy):
    """A function failing ``failures`` times with ``error``, then returning its calls."""
    calls: list[int] = []

    def func() -> int:
        calls.append(1)
        if len(calls) <= failures:
            raise error(f"failure {len(calls)}")
        return len(calls)

    return func


def policy(retries: int = 3) -> RetryPolicy:
    return RetryPolicy(retries, 0.0, 0.0, is_transient=lambda exc: isinstance(exc, Busy))


def test_a_transient_failure_is_retried_until_it_passes() -> None:
    assert policy().call(flaky(2)) == 3


def test_it_gives_up_after_its_retries_with_the_last_error() -> None:
    with pytest.raises(Busy, match="failure 4"):
        policy(retries=3).call(flaky(10))


def test_other_errors_are_raised_at_once() -> None:
    func = flaky(1, error=KeyError)
    with pytest.raises(KeyError):
        policy().call(func)


def test_a_backend_error_is_judged_by_the_driver_error_it_wraps() -> None:
    calls: list[int] = []

    def func() -> str:
        calls.append(1)
        if len(calls) == 1:
            try:
                raise Busy("database is locked")
            except Busy as exc:
                raise BackendError("database x: database is locked") from exc
        return "ok"

    assert policy().call(func) == "ok"
    assert len(calls) == 2


def test_waits_double_up_to_the_cap() -> None:
    waits = RetryPolicy(5, 0.5, 3.0, is_transient=lambda exc: True)
    assert [waits.delay(n) for n in range(5)] == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_each_retry_is_logged_with_what_failed(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="redun"):
        policy().call(flaky(1), what="cache lookup")
    assert "cache lookup failed (attempt 1/4), retrying in 0.0s: failure 1" in caplog.text


def test_arguments_reach_the_function() -> None:
    assert policy().call(lambda a, b=0: a + b, 1, b=2) == 3
