"""redun.promise: what code holding a Promise can read from it."""

from __future__ import annotations

import pytest
from redun.promise import Promise, wait_promises


def test_value_and_error_refuse_to_answer_for_the_wrong_state():
    pending: Promise[int] = Promise()
    with pytest.raises(ValueError, match="pending"):
        _ = pending.value
    pending.do_resolve(10)
    pending.do_reject(KeyError("late"))  # settled promises stay as they are
    assert pending.value == 10
    with pytest.raises(ValueError, match="not rejected"):
        _ = pending.error

    failed: Promise[int] = Promise.rejected(KeyError("boom"))
    assert isinstance(failed.error, KeyError)
    assert failed.value is failed.error


def test_wait_promises_gives_back_every_promise_once_all_settled():
    late: Promise[int] = Promise()
    waited = wait_promises([Promise.resolved(1), Promise.rejected(ValueError("x")), late])
    assert waited.is_pending
    late.do_resolve(3)
    first, second, third = waited.value
    assert (first.value, third.value) == (1, 3)
    assert isinstance(second.error, ValueError)
    assert wait_promises([]).value == []
