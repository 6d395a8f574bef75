"""A minimal promise for the scheduler thread.

Callbacks run synchronously when the promise settles. Only the scheduler thread
touches promises; executors hand results over through the scheduler's event queue.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_PENDING, _FULFILLED, _REJECTED = 0, 1, 2


class Promise(Generic[T]):
    __slots__ = ("_state", "_value", "_callbacks")

    def __init__(self, func: Callable[[Callable, Callable], None] | None = None) -> None:
        self._state = _PENDING
        self._value: Any = None
        self._callbacks: list[tuple[Callable | None, Callable | None, Promise | None]] | None = []
        if func is not None:
            try:
                func(self.do_resolve, self.do_reject)
            except Exception as error:
                self.do_reject(error)

    @property
    def is_pending(self) -> bool:
        return self._state == _PENDING

    @property
    def is_fulfilled(self) -> bool:
        return self._state == _FULFILLED

    @property
    def is_rejected(self) -> bool:
        return self._state == _REJECTED

    @property
    def value(self) -> Any:
        """The result, or the error of a rejected promise (as upstream); asking a
        pending promise is a ValueError, not a silent None."""
        if self._state == _PENDING:
            raise ValueError("Promise is still pending.")
        return self._value

    @property
    def error(self) -> Any:
        """The error; a ValueError unless the promise was rejected."""
        if self._state != _REJECTED:
            raise ValueError("Promise is not rejected.")
        return self._value

    def do_resolve(self, value: Any) -> None:
        if self._state != _PENDING:
            return
        if isinstance(value, Promise):
            value._add(self.do_resolve, self.do_reject, None)
            return
        self._state, self._value = _FULFILLED, value
        self._flush()

    def do_reject(self, error: Any) -> None:
        if self._state != _PENDING:
            return
        self._state, self._value = _REJECTED, error
        self._flush()

    def _flush(self) -> None:
        callbacks, self._callbacks = self._callbacks, None
        for on_ok, on_err, child in callbacks or ():
            self._run(on_ok, on_err, child)

    def _run(self, on_ok: Callable | None, on_err: Callable | None, child: Promise | None) -> None:
        handler = on_ok if self._state == _FULFILLED else on_err
        if child is None:
            # Internal subscription (promise chaining): no derived promise to settle.
            if handler is not None:
                handler(self._value)
            return
        if handler is None:
            if self._state == _FULFILLED:
                child.do_resolve(self._value)
            else:
                child.do_reject(self._value)
            return
        try:
            result = handler(self._value)
        except Exception as error:
            child.do_reject(error)
        else:
            child.do_resolve(result)

    def _add(
        self,
        on_ok: Callable | None,
        on_err: Callable | None,
        child: Promise | None = ...,  # type: ignore[assignment]
    ) -> Promise | None:
        if child is ...:
            child = Promise()
        if self._state == _PENDING:
            assert self._callbacks is not None
            self._callbacks.append((on_ok, on_err, child))
        else:
            self._run(on_ok, on_err, child)
        return child

    def then(
        self, on_ok: Callable[[T], Any] | None = None, on_err: Callable[[Any], Any] | None = None
    ) -> Promise:
        return self._add(on_ok, on_err)  # type: ignore[return-value]

    def catch(self, on_err: Callable[[Any], Any]) -> Promise:
        return self._add(None, on_err)  # type: ignore[return-value]

    @classmethod
    def resolved(cls, value: Any) -> Promise:
        promise = cls()
        promise.do_resolve(value)
        return promise

    @classmethod
    def rejected(cls, error: Any) -> Promise:
        promise = cls()
        promise.do_reject(error)
        return promise

    @classmethod
    def all(cls, promises: Iterable[Any]) -> Promise[list]:
        """Resolve to the list of values (non-promises pass through); reject on the first error."""
        items = list(promises)
        result: Promise[list] = cls()
        values: list[Any] = [None] * len(items)
        remaining = len(items)
        if remaining == 0:
            result.do_resolve(values)
            return result

        def make_ok(i: int) -> Callable[[Any], None]:
            def on_ok(value: Any) -> None:
                nonlocal remaining
                values[i] = value
                remaining -= 1
                if remaining == 0:
                    result.do_resolve(values)

            return on_ok

        for i, item in enumerate(items):
            if isinstance(item, Promise):
                if item._state == _FULFILLED:
                    make_ok(i)(item._value)
                else:
                    item._add(make_ok(i), result.do_reject, None)
            else:
                make_ok(i)(item)
        return result


def wait_promises(promises: list[Promise]) -> Promise[list[Promise]]:
    """A promise of ``promises`` themselves, once every one settled (fulfilled or
    rejected): unlike :meth:`Promise.all`, one failure neither stops the wait nor
    hides the other outcomes."""
    result: Promise[list[Promise]] = Promise()
    remaining = len(promises)
    if not remaining:
        result.do_resolve([])
        return result

    def settled(_: Any) -> None:
        nonlocal remaining
        remaining -= 1
        if remaining == 0:
            result.do_resolve(list(promises))

    for promise in promises:
        promise._add(settled, settled, None)
    return result
