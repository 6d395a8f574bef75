"""``wraps_task``: build decorators that wrap a task in another task, like ``functools.wraps``.

The wrapped task is hidden in an inner namespace named after the wrapper (``ns.main``
becomes ``ns._doubled.main``), and a new task takes over its name. The wrapper's hash
includes the hidden task, so editing the inner task's code invalidates the wrapper's
cache too: the wrapper may call the inner function directly, out of the scheduler's view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from redun.task.decorator import task
from redun.task.task import Task
from redun.task_registry import get_task_registry


def _hide(inner: Task, suffix: str) -> str:
    """Move ``inner`` (and, first, every task it wraps) into the ``suffix`` namespace."""
    wrapped = inner.get_task_option("wrapped_task")
    if wrapped is not None:
        deeper = get_task_registry().get(task_name=wrapped)
        if deeper is not None:
            inner._task_options_base["wrapped_task"] = _hide(deeper, suffix)
    namespace = f"{inner.namespace}.{suffix}" if inner.namespace else suffix
    return get_task_registry().rename(inner.fullname, namespace, inner.name).fullname


def wraps_task(
    wrapper_name: str | None = None,
    wrapper_hash_includes: list | None = None,
    use_wrapper_signature: bool = False,
    **wrapper_task_options_base: Any,
) -> Callable[[Callable[[Task], Callable[..., Any]]], Callable[[Any], Task]]:
    """Turn ``wrapper(inner_task) -> function`` into a decorator usable like ``@task``.

    Parameters
    ----------
    wrapper_name : str, optional
        The inner namespace the wrapped task moves to (default: the wrapper's name).
    wrapper_hash_includes : list, optional
        Data the wrapper's behaviour depends on (its own arguments): hashed into the
        wrapper task, so changing it invalidates the cache.
    use_wrapper_signature : bool
        Use the wrapper function's signature (CLI arguments, validation) instead of the
        innermost task's.
    **wrapper_task_options_base
        Task options of the wrapper task.
    """
    includes = list(wrapper_hash_includes or [])

    def transform(wrapper: Callable[[Task], Callable[..., Any]]) -> Callable[[Any], Task]:
        def create(inner: Any) -> Task:
            hidden = inner if isinstance(inner, Task) else task()(inner)
            name, namespace = hidden.name, hidden.namespace
            _hide(hidden, wrapper_name or wrapper.__name__)
            return task(
                name=name,
                namespace=namespace,
                wrapped_task=hidden.fullname,
                use_wrapper_signature=use_wrapper_signature,
                load_module=hidden.load_module,
                hash_includes=[*includes, hidden],
                **wrapper_task_options_base,
            )(wrapper(hidden))

        return create

    return transform
