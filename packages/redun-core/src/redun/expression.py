"""Lazy expressions: what calling a task returns instead of running it.

A workflow is a tree of these. The scheduler reduces it; only ``TaskExpression``
becomes a job. Expressions are Values, hashed by structure (REFERENCE §1.5), and their
pickled state matches upstream's so recorded expressions load in either engine.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from itertools import chain
from typing import Any, Generic, TypeVar

from redun.expression_graph import hash_in_post_order, node_reference, set_expression_class
from redun.hashing import hash_arguments, hash_bytes, hash_strings, hash_struct
from redun.pickling import pickle_dumps
from redun.task_registry import get_task_registry
from redun.value import Value, get_type_registry
from redun.value.nested import PLAIN_LEAF_TYPES, iter_nested_value

Result = TypeVar("Result")

_task_registry = get_task_registry()
# Most calls carry no call-time options: their part of the expression hash is a constant.
_NO_OPTIONS_HASH = hash_bytes(pickle_dumps({}))
# Shared by every expression without options or exports; never mutated (read only).
_NO_OPTIONS: dict = {}
_NO_EXPORTS: frozenset[str] = frozenset()


class Expression(Value, Generic[Result]):
    """Base class of lazy expressions."""

    def __init__(self) -> None:
        self._hash: str | None = None
        self._upstreams: list[Any] = []
        self._length: int | None = None

    def get_hash(self, data: bytes | None = None) -> str:
        if self._hash is None:
            # Children first, iteratively: a long chain must not recurse.
            hash_in_post_order(self)
        return self._hash  # type: ignore[return-value]

    def __reduce_ex__(self, protocol: Any) -> Any:
        # While a deep graph is written flat, expressions below are references.
        return node_reference(self) or super().__reduce_ex__(protocol)

    def _calc_hash(self) -> str:
        raise NotImplementedError

    def __getstate__(self) -> dict:
        return {}

    def __setstate__(self, state: dict) -> None:
        self._hash = None
        self._upstreams = []
        self._length = None

    def __call__(self, *args: Any, **kwargs: Any) -> SimpleExpression:
        return SimpleExpression("call", (self, args, kwargs))

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice):
            if key.stop is None:
                raise TypeError("a slice of an expression needs an explicit stop")
            return [self[i] for i in range(key.start or 0, key.stop, key.step or 1)]
        return self._get_single_item(key)

    def _get_single_item(self, key: Any) -> SimpleExpression:
        return SimpleExpression("getitem", (self, key))

    def __getattr__(self, key: str) -> SimpleExpression:
        if key.startswith("__") and key.endswith("__"):
            raise AttributeError(key)
        return SimpleExpression("getattr", (self, key))

    def __bool__(self) -> bool:
        raise TypeError("Expressions cannot be coerced to bool.")

    def __iter__(self) -> Iterator[Any]:
        if self._length is not None:
            return (self[i] for i in range(self._length))
        raise TypeError("Expressions of unknown length cannot be iterated.")

    def __await__(self) -> Any:
        from redun.eager import evaluate_eagerly

        return evaluate_eagerly(self).__await__()

    # Expressions are identity-hashed: == builds a lazy expression instead of comparing.
    __hash__ = object.__hash__


set_expression_class(Expression)


class ApplyExpression(Expression[Result]):
    """An expression applying something to ``args`` and ``kwargs``."""

    def __init__(self, args: tuple, kwargs: dict) -> None:
        super().__init__()
        self.args = args
        self.kwargs = kwargs
        self._upstreams = [args, kwargs]


def format_arguments(args: tuple, kwargs: dict) -> str:
    return ", ".join(
        chain(
            (repr(arg) for arg in args),
            (f"{key}={value!r}" for key, value in sorted(kwargs.items())),
        )
    )


class TaskExpression(ApplyExpression[Result]):
    """A lazy call of a task (by fullname) on arguments, with call-time options."""

    def __init__(
        self,
        task_name: str,
        args: tuple,
        kwargs: dict,
        task_options: dict | None = None,
        export_options: set[str] | None = None,
        length: int | None = None,
    ) -> None:
        super().__init__(args, kwargs)
        self.task_name = task_name
        self.call_hash: str | None = None
        # Most calls have neither: they share one empty value instead of one each.
        self._options = task_options or _NO_OPTIONS
        self._export_options = export_options or _NO_EXPORTS
        self._length = length

    def __repr__(self) -> str:
        return f"{self.task_name}({format_arguments(self.args, self.kwargs)})"

    def _calc_hash(self) -> str:
        args_hash = hash_arguments(get_type_registry(), self.args, self.kwargs)
        # Kept for the job of this call: when its arguments are these very objects, its
        # args hash is this one (see scheduler.job_setup.hash_job).
        self.__dict__["_args_hash"] = args_hash
        options_hash = (
            hash_bytes(pickle_dumps(self._options)) if self._options else _NO_OPTIONS_HASH
        )
        if not self._export_options:
            return hash_strings(["TaskExpression", self.task_name, args_hash, options_hash])
        export_hash = hash_struct(sorted(self._export_options))
        return hash_struct(["TaskExpression", self.task_name, args_hash, options_hash, export_hash])

    def __getstate__(self) -> dict:
        registry = get_type_registry()
        return {
            "task_name": self.task_name,
            "args": registry.serialize(self.args),
            "kwargs": registry.serialize(self.kwargs),
            "task_options": dict(self._options),
            "export_options": set(self._export_options),
            "length": self._length,
        }

    def __setstate__(self, state: dict) -> None:
        # Every job of a cached rerun loads here: attributes set directly, no super().
        deserialize = get_type_registry().deserialize
        self._hash = None
        self.task_name = state["task_name"]
        self.args = args = deserialize("builtins.tuple", state["args"])
        self.kwargs = kwargs = deserialize("builtins.dict", state["kwargs"])
        self._options = state.get("task_options") or _NO_OPTIONS
        self._export_options = state.get("export_options") or _NO_EXPORTS
        self._upstreams = [args, kwargs]
        self._length = state.get("length")
        self.call_hash = None

    def is_valid(self) -> bool:
        if _task_registry.get(self.task_name) is None:
            return False
        plain = PLAIN_LEAF_TYPES
        for arg in self.args:
            if type(arg) not in plain:
                break
        else:
            for value in self.kwargs.values():
                if type(value) not in plain:
                    break
            else:
                return True  # the common case: nothing inside can go stale
        # Calls below are checked here, one at a time: a long chain must not recurse.
        stack: list[TaskExpression] = [self]
        seen = {id(self)}
        while stack:
            expr = stack.pop()
            for value in iter_nested_value((expr.args, expr.kwargs)):
                if isinstance(value, TaskExpression):
                    if id(value) not in seen:
                        if _task_registry.get(value.task_name) is None:
                            return False
                        seen.add(id(value))
                        stack.append(value)
                elif isinstance(value, Value) and not value.is_valid():
                    return False
        return True


class SimpleExpression(ApplyExpression[Result]):
    """A lazy operator, attribute access, item access or call."""

    def __init__(self, func_name: str, args: tuple = (), kwargs: dict | None = None) -> None:
        super().__init__(args, kwargs or {})
        self.func_name = func_name

    def __repr__(self) -> str:
        symbol = _operator_symbols.get(self.func_name)
        if symbol and len(self.args) == 2:
            left, right = self.args
            if self.func_name in _reverse_operators:
                left, right = right, left
            return f"({left!r} {symbol} {right!r})"
        if self.func_name == "getitem" and len(self.args) == 2:
            return f"{self.args[0]!r}[{self.args[1]!r}]"
        if self.func_name == "getattr" and len(self.args) == 2:
            return f"{self.args[0]!r}.{self.args[1]}"
        if self.func_name == "call" and len(self.args) == 3:
            this, args, kwargs = self.args
            return f"{this!r}({format_arguments(args, kwargs)})"
        return f"SimpleExpression('{self.func_name}', {self.args!r}, {self.kwargs!r})"

    def _calc_hash(self) -> str:
        args_hash = hash_arguments(get_type_registry(), self.args, self.kwargs)
        return hash_struct(["SimpleExpression", self.func_name, args_hash])

    def __getstate__(self) -> dict:
        registry = get_type_registry()
        return {
            "func_name": self.func_name,
            "args": registry.serialize(self.args),
            "kwargs": registry.serialize(self.kwargs),
        }

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        registry = get_type_registry()
        self.func_name = state["func_name"]
        self.args = registry.deserialize("builtins.tuple", state["args"])
        self.kwargs = registry.deserialize("builtins.dict", state["kwargs"])
        self._upstreams = [self.args, self.kwargs]


class SchedulerExpression(TaskExpression[Result]):
    """A call of a scheduler task: its arguments reach it unevaluated."""

    def _calc_hash(self) -> str:
        args_hash = hash_arguments(get_type_registry(), self.args, self.kwargs)
        return hash_struct(["SchedulerExpression", self.task_name, args_hash])


def derive_expression(orig_expr: Expression, derived_value: Any) -> Expression:
    """Mark ``derived_value`` as coming from ``orig_expr``, for the recorded dataflow.

    An argument built from the returned expression is recorded as fed by the calls
    ``orig_expr`` came from (``catch`` uses it: the error of a failed call feeds the
    recovery task, whose result stands for the whole ``catch``). A concrete value is
    wrapped in a ``ValueExpression`` first.
    """
    if isinstance(derived_value, Expression):
        derived = derived_value
    else:
        derived = ValueExpression(derived_value)
    derived._upstreams = [orig_expr]
    return derived


class ValueExpression(Expression[Result]):
    """Lifts a concrete value into an expression."""

    def __init__(self, value: Result) -> None:
        super().__init__()
        if isinstance(value, Expression):
            raise TypeError("ValueExpression wraps concrete values, not expressions")
        self.value = value

    def __repr__(self) -> str:
        return f"ValueExpression({self.value!r})"

    def _calc_hash(self) -> str:
        return hash_struct(["ValueExpression", get_type_registry().get_hash(self.value)])

    def __getstate__(self) -> dict:
        registry = get_type_registry()
        return {
            "value_type": registry.get_type_name(type(self.value)),
            "value": registry.serialize(self.value),
        }

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        self.value = get_type_registry().deserialize(state["value_type"], state["value"])


class QuotedExpression(Generic[Result]):
    """An expression the scheduler must not evaluate until a task calls ``.eval()``."""

    def __init__(self, expr: Result) -> None:
        self._expr = expr

    def __repr__(self) -> str:
        return f"QuotedExpression({self._expr!r})"

    def eval(self) -> Result:
        return self._expr


def quote(expr: Result) -> QuotedExpression[Result]:
    return QuotedExpression(expr)


_lazy_operations: dict[str, Callable[..., Any]] = {}
_operator_symbols: dict[str, str] = {}
_reverse_operators: set[str] = set()


def get_lazy_operation(name: str) -> Callable[..., Any] | None:
    return _lazy_operations.get(name)


def lazy_operation(
    method: str | None = None,
    name: str | None = None,
    symbol: str | None = None,
    reverse: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``func`` as a lazy operation available as ``Expression.<method>``."""

    def deco(func: Callable[..., Any]) -> Callable[..., Any]:
        op_name = name or func.__name__

        def method_impl(self: Expression, *args: Any, **kwargs: Any) -> SimpleExpression:
            return SimpleExpression(op_name, (self, *args), kwargs)

        setattr(Expression, method or func.__name__, method_impl)
        _lazy_operations[op_name] = func
        if symbol:
            _operator_symbols[op_name] = symbol
        if reverse:
            _reverse_operators.add(op_name)
        return func

    return deco


for _method, _name, _symbol, _func in [
    ("__eq__", "eq", "==", operator.eq),
    ("__ne__", "ne", "!=", operator.ne),
    ("__lt__", "lt", "<", operator.lt),
    ("__le__", "le", "<=", operator.le),
    ("__gt__", "gt", ">", operator.gt),
    ("__ge__", "ge", ">=", operator.ge),
    ("__add__", "add", "+", operator.add),
    ("__sub__", "sub", "-", operator.sub),
    ("__mul__", "mul", "*", operator.mul),
    ("__truediv__", "div", "/", operator.truediv),
    ("__and__", "and", "&", lambda self, other: self and other),
    ("__or__", "or", "|", lambda self, other: self or other),
]:
    lazy_operation(method=_method, name=_name, symbol=_symbol)(_func)

for _method, _name, _symbol, _func in [
    ("__radd__", "radd", "+", lambda self, other: other + self),
    ("__rsub__", "rsub", "-", lambda self, other: other - self),
    ("__rmul__", "rmul", "*", lambda self, other: other * self),
    ("__rtruediv__", "rdiv", "/", lambda self, other: other / self),
    ("__rand__", "rand", "&", lambda self, other: other and self),
    ("__ror__", "ror", "|", lambda self, other: other or self),
]:
    lazy_operation(method=_method, name=_name, symbol=_symbol, reverse=True)(_func)

_lazy_operations["call"] = lambda this, args=(), kwargs={}: this(*args, **kwargs)
_lazy_operations["getattr"] = getattr
_lazy_operations["getitem"] = lambda this, key: this[key]
