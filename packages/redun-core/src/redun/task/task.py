"""Task: a registered function whose calls become lazy, cached, recorded jobs.

A Task is also a Value: it is pickled by reference (name, namespace, hash and call-time
option overrides only) and re-attached to the current code on load, so a cached Task
whose code changed reports itself invalid.
"""

from __future__ import annotations

import inspect
import re
import typing
from collections.abc import Callable
from typing import Any, Generic, NamedTuple, ParamSpec, TypeVar, cast, overload

from redun.expression import Expression, SchedulerExpression, TaskExpression
from redun.hashing import hash_arguments, hash_struct
from redun.task.namespace import compute_namespace
from redun.task.options import CacheCheckValid, CacheScope
from redun.task.source import get_func_source
from redun.task_registry import get_task_registry
from redun.value import Value, get_type_registry
from redun.value.nested import iter_nested_value

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")

_NAME = re.compile(r"^[A-Za-z_][A-Za-z_0-9]*$")
_NAMESPACE = re.compile(r"^[A-Za-z_][A-Za-z_0-9.]*$")


def undefined_task(fullname: str, *args: Any, **kwargs: Any) -> None:
    raise ValueError(f"Task {fullname} is undefined.")


def _has_expression(options: dict) -> bool:
    return bool(options) and any(
        isinstance(item, Expression) for item in iter_nested_value(list(options.values()))
    )


def get_tuple_type_length(tuple_type: Any) -> int | None:
    """Length of a fixed-length tuple or NamedTuple return annotation, else None."""
    if getattr(tuple_type, "__origin__", None) is tuple:
        if not hasattr(tuple_type, "__args__"):
            return None
        args = tuple_type.__args__
        if Ellipsis in args:
            return None
        if args == ((),):
            return 0
        return len(args)
    if inspect.isclass(tuple_type) and issubclass(tuple_type, tuple):
        fields = getattr(tuple_type, "_fields", None)
        if fields:
            return len(fields)
    return None


class CallSignature(NamedTuple):
    """A task's parameters in the forms the scheduler needs per job."""

    positional: list[str]  # names that can be given by position, in order
    defaults: list[tuple[str, Any]]  # (name, default) of parameters with a default
    params: tuple[tuple[str, Any, Any], ...]  # (name, kind, default) of every parameter


class Task(Value, Generic[P, R]):
    """A redun task. Calling it returns a ``TaskExpression``; nothing runs."""

    type_name = "redun.Task"

    def __init__(
        self,
        func: Callable[..., Any],
        name: str | None = None,
        namespace: str | None = None,
        version: str | None = None,
        compat: list[str] | None = None,
        script: bool = False,
        task_options_base: dict | None = None,
        task_options_override: dict | None = None,
        export_options: set[str] | None = None,
        hash_includes: list | None = None,
        source: str | None = None,
    ) -> None:
        self.name = name or func.__name__
        self.namespace = compute_namespace(func, namespace)
        self.func = func
        # Read on demand: a versioned task's hash does not need it, and reading source
        # means tokenizing the defining file (redun's own tasks are all versioned).
        self._source = source
        self.version = version
        self.compat = compat or []
        self.script = script
        self._task_options_base = dict(task_options_base or {})
        self._task_options_override = dict(task_options_override or {})
        self._export_options: set[str] = set(export_options or ())
        self._signature: inspect.Signature | None = None
        self._call_signature: CallSignature | None = None
        self._own_subtree: frozenset[str] | None = None
        self._hash_includes = hash_includes
        # Options given as expressions (``executor=get_context(...)``) are evaluated by
        # the scheduler before each job starts; decided once here, off the per-job path.
        self.has_lazy_options = _has_expression(self._task_options_base) or _has_expression(
            self._task_options_override
        )
        # Hash before validating: upstream hashes the options as given (e.g. ``cache``
        # before it becomes ``cache_scope``), and hashes must stay byte-compatible.
        self.recompute_hash()
        self._validate()

    # -- identity -------------------------------------------------------------------
    @property
    def source(self) -> str:
        if self._source is None:
            self._source = get_func_source(self.func)
        return self._source

    @source.setter
    def source(self, value: str | None) -> None:
        self._source = value

    @property
    def fullname(self) -> str:
        # Built once per (namespace, name), not per call: every call and job keeps it.
        name, namespace = self.name, self.namespace
        cached = getattr(self, "_fullname", None)
        if cached is not None and cached[0] is name and cached[1] is namespace:
            return cached[2]
        full = f"{namespace}.{name}" if namespace else name
        self._fullname = (name, namespace, full)
        return full

    def recompute_hash(self) -> None:
        self.hash = self._calc_hash()

    def _calc_hash(self) -> str:
        if self.compat:
            return self.compat[0]
        registry = get_type_registry()
        options_hash = (
            [registry.get_hash(self._task_options_override)] if self._task_options_override else []
        )
        includes_hash = (
            sorted(map(registry.get_hash, self._hash_includes)) if self._hash_includes else []
        )
        if self.version is None:
            head = ["Task", self.fullname, "source", self.source]
        else:
            head = ["Task", self.fullname, "version", self.version]
        return hash_struct(head + includes_hash + options_hash)

    def get_hash(self, data: bytes | None = None) -> str:
        return self.hash

    def is_valid(self) -> bool:
        return self.hash == self._calc_hash()

    def is_async(self) -> bool:
        # Asked per job: memoized against the function it was computed for.
        known = self.__dict__.get("_is_async")
        func = self.func
        if known is None or known[0] is not func:
            known = self._is_async = (func, inspect.iscoroutinefunction(func))
        return known[1]

    def __repr__(self) -> str:
        return f"Task(fullname={self.fullname}, hash={self.hash[:8]})"

    # -- options --------------------------------------------------------------------
    @property
    def nout(self) -> int | None:
        if self.has_task_option("nout"):
            return self.get_task_option("nout")
        return_type = getattr(self.func, "__annotations__", {}).get("return")
        if isinstance(return_type, str):
            # Postponed annotations (`from __future__ import annotations`): resolve them.
            try:
                return_type = typing.get_type_hints(self.func).get("return")
            except Exception:
                return None
        return get_tuple_type_length(return_type)

    @overload
    def get_task_option(self, option_name: str) -> Any | None: ...

    @overload
    def get_task_option(self, option_name: str, default: T) -> T: ...

    def get_task_option(self, option_name: str, default: Any = None) -> Any:
        if option_name in self._task_options_override:
            return self._task_options_override[option_name]
        if option_name in self._task_options_base:
            return self._task_options_base[option_name]
        return default

    def get_task_options(self) -> dict:
        return {**self._task_options_base, **self._task_options_override}

    def has_task_option(self, option_name: str) -> bool:
        return option_name in self._task_options_override or option_name in self._task_options_base

    def _validate(self) -> None:
        config_args = self.get_task_option("config_args")
        if config_args:
            valid = list(self.signature.parameters)
            invalid = [arg for arg in config_args if arg not in valid]
            if invalid:
                raise ValueError(
                    f"Invalid config args: {', '.join(invalid)}. Expected all config_args to "
                    f"be one of the function args/kwargs: {', '.join(valid)}"
                )
        if self.namespace and not _NAMESPACE.match(self.namespace):
            raise ValueError(
                "Task namespace must use only alphanumeric characters, underscore '_', "
                f"and dot '.', and may not start with a dot: {self.namespace}"
            )
        if not _NAME.match(self.name):
            raise ValueError(
                f"Task name must use only alphanumeric characters and underscore '_': {self.name}"
            )
        nout = self.nout
        if nout is not None:
            if not isinstance(nout, int) or isinstance(nout, bool):
                raise TypeError("nout must be an int")
            if nout < 0:
                raise TypeError("nout must be non-negative")
        for options in (self._task_options_base, self._task_options_override):
            if "cache" in options:
                options["cache_scope"] = (
                    CacheScope.BACKEND if options.pop("cache") else CacheScope.CSE
                )
            if "cache_scope" in options:
                options["cache_scope"] = CacheScope(options["cache_scope"])
            if "check_valid" in options:
                options["check_valid"] = CacheCheckValid(options["check_valid"])
        if "prov" in self._task_options_base or "prov" in self._task_options_override:
            self._export_options.add("prov")
        if self.is_async():
            options = self.get_task_options()
            scope = options.get("cache_scope")
            if scope is None or (
                scope == CacheScope.BACKEND
                and options.get("check_valid") != CacheCheckValid.SHALLOW
            ):
                raise ValueError(
                    f"async task '{self.fullname}' must set its cache option explicitly: "
                    'use @task(cache=False) or @task(cache=True, check_valid="shallow")'
                )

    def _copy(self, override: dict, export_options: set[str] | None = None) -> Task[P, R]:
        return self.__class__(
            self.func,
            name=self.name,
            namespace=self.namespace,
            version=self.version,
            compat=self.compat,
            script=self.script,
            source=self._source,
            task_options_base=self._task_options_base,
            task_options_override=override,
            export_options=export_options,
        )

    def options(self, **task_options_update: Any) -> Task[P, R]:
        """A copy with call-time option overrides (hashed into the Task value)."""
        return self._copy({**self._task_options_override, **task_options_update})

    def export_options(self, **task_options_update: Any) -> Task[P, R]:
        """Like ``options``, and every descendant job inherits them."""
        exported = self._export_options | set(task_options_update)
        if "cache" in exported:
            exported.add("cache_scope")
        return self._copy({**self._task_options_override, **task_options_update}, exported)

    def update_context(self, context: dict | None = None, **kwargs: Any) -> Task[P, R]:
        """Override context variables for this call's subtree."""
        from redun.context_values import merge_dicts

        previous = self._task_options_override.get("_context_override", {})
        return self.options(_context_override=merge_dicts([previous, context or {}, kwargs]))

    def partial(self, *args: Any, **kwargs: Any) -> PartialTask[..., R]:
        return PartialTask(self, args, kwargs)

    # -- calling --------------------------------------------------------------------
    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        return cast(
            R,
            TaskExpression(
                self.fullname,
                args,
                kwargs,
                task_options=self._task_options_override,
                export_options=self._export_options,
                length=self.nout,
            ),
        )

    @property
    def signature(self) -> inspect.Signature:
        if self._signature is None:
            wrapped = self.wrapped_task
            if wrapped is not None and not self.get_task_option("use_wrapper_signature", False):
                self._signature = inspect.signature(self.inner_task.func)
            else:
                self._signature = inspect.signature(self.func)
        return self._signature

    @property
    def max_cache_scope(self) -> CacheScope | None:
        """The widest cache scope a call may use, from the task's definition
        (``@task(max_cache_scope=...)``): neither call-time options nor a parent's exported
        ones can widen it."""
        return self._task_options_base.get("max_cache_scope")

    @property
    def call_signature(self) -> CallSignature:
        """The signature as the scheduler reads it for every job, worked out once."""
        parts = self._call_signature
        if parts is None:
            names: list[str] = []
            defaults: list[tuple[str, Any]] = []
            params: list[tuple[str, Any, Any]] = []
            for param in self.signature.parameters.values():
                kind = param.kind
                params.append((param.name, kind, param.default))
                if kind in (param.POSITIONAL_ONLY, param.POSITIONAL_OR_KEYWORD):
                    names.append(param.name)
                if param.default is not param.empty and kind not in (
                    param.VAR_POSITIONAL,
                    param.VAR_KEYWORD,
                ):
                    defaults.append((param.name, param.default))
            parts = self._call_signature = CallSignature(names, defaults, tuple(params))
        return parts

    @property
    def own_subtree(self) -> frozenset[str]:
        """The subtree of a call without children: this task alone, one set per task
        rather than one per job (a large fan-out keeps every job's)."""
        subtree = self._own_subtree
        if subtree is None or self.hash not in subtree:
            subtree = self._own_subtree = frozenset((self.hash,))
        return subtree

    @property
    def load_module(self) -> str:
        return self.get_task_option("load_module") or self.func.__module__

    @property
    def wrapped_task(self) -> Task | None:
        inner = self.get_task_option("wrapped_task")
        return get_task_registry().get(inner) if inner else None

    @property
    def inner_task(self) -> Task:
        current: Task = self
        while True:
            inner = current.wrapped_task
            if inner is None:
                return current
            current = inner

    # -- pickling (by reference) ----------------------------------------------------
    def __getstate__(self) -> dict:
        return {
            "name": self.name,
            "namespace": self.namespace,
            "version": self.version,
            "hash": self.hash,
            "compat": self.compat,
            "script": self.script,
            # Upstream's key name; kept for stored-data compatibility.
            "task_options": self._task_options_override,
            "export_options": self._export_options,
        }

    def __setstate__(self, state: dict) -> None:
        self.name = state["name"]
        self.namespace = state["namespace"]
        self.version = state["version"]
        self.hash = state["hash"]
        self.compat = state.get("compat", [])
        self.script = state.get("script", False)
        self._task_options_override = state.get("task_options", {})
        self._export_options = state.get("export_options", set())
        registered = get_task_registry().get(self.fullname)
        if registered is not None:
            self.func = registered.func
            self._task_options_base = registered._task_options_base
            self.source = registered.source
            self._hash_includes = registered._hash_includes
        else:
            fullname = self.fullname
            self.func = lambda *args, **kwargs: undefined_task(fullname, *args, **kwargs)
            self._task_options_base = {}
            self.source = ""
            self._hash_includes = None
        self._signature = None
        self.has_lazy_options = _has_expression(self._task_options_base) or _has_expression(
            self._task_options_override
        )
        self._call_signature = None
        self._own_subtree = None
        self._validate()


class SchedulerTask(Task[P, R]):
    """A task evaluated inside the scheduler; its arguments arrive unevaluated."""

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        return cast(
            R,
            SchedulerExpression(
                self.fullname,
                args,
                kwargs,
                task_options=self._task_options_override,
                length=self.nout,
            ),
        )


class PartialTask(Task[P, R]):
    """A task with some arguments already applied (a closure that is also a Value)."""

    type_name = "redun.PartialTask"

    def __init__(self, task: Task[..., R], args: tuple, kwargs: dict) -> None:
        self.task = task
        self.args = tuple(args)
        self.kwargs = kwargs
        super().__init__(task.func, name=task.name, namespace=task.namespace)

    def __repr__(self) -> str:
        return (
            f"PartialTask(fullname={self.fullname}, hash={self.hash[:8]}, "
            f"args={self.args!r}, kwargs={self.kwargs!r})"
        )

    def __call__(self, *args: Any, **kwargs: Any) -> R:
        return self.task(*self.args, *args, **{**self.kwargs, **kwargs})

    def _calc_hash(self) -> str:
        return hash_struct(
            [
                "PartialTask",
                self.task._calc_hash(),
                hash_arguments(get_type_registry(), self.args, self.kwargs),
            ]
        )

    def is_valid(self) -> bool:
        return self.task.is_valid()

    def options(self, **task_options_update: Any) -> PartialTask[..., R]:
        return self.task.options(**task_options_update).partial(*self.args, **self.kwargs)

    def get_task_option(self, option_name: str, default: Any = None) -> Any:
        return self.task.get_task_option(option_name, default)

    def get_task_options(self) -> dict:
        return self.task.get_task_options()

    def has_task_option(self, option_name: str) -> bool:
        return self.task.has_task_option(option_name)

    def partial(self, *args: Any, **kwargs: Any) -> PartialTask[..., R]:
        return PartialTask(self.task, self.args + args, {**self.kwargs, **kwargs})

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state.update({"task": self.task.__getstate__(), "args": self.args, "kwargs": self.kwargs})
        return state

    def __setstate__(self, state: dict) -> None:
        self.task = Task.__new__(Task)
        self.task.__setstate__(state["task"])
        self.args = state["args"]
        self.kwargs = state["kwargs"]
        super().__setstate__(state)


for _cls in (Task, SchedulerTask, PartialTask):
    _cls.__module__ = "redun.task"
