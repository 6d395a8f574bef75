"""Pre- and post-processing of the Values crossing a task boundary.

Arguments are preprocessed before a task body sees them (a Handle forks, a staged file
is prepared) and results postprocessed after (a Handle advances, an output File is
re-hashed). Plain values skip all of this, which is the common case by far.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from redun.value import Value
from redun.value.nested import PLAIN_LEAF_TYPES, map_nested_value

if TYPE_CHECKING:
    from redun.scheduler.job import Job
    from redun.value import TypeRegistry


def _has_values(value: Any) -> bool:
    value_type = type(value)
    if value_type in PLAIN_LEAF_TYPES:
        return False
    # Fast paths for the usual shapes: flat tuples/lists and dicts of plain values
    # (plain loops: a generator per call is measurable at one call per job).
    if value_type is tuple or value_type is list:
        for item in value:
            if type(item) not in PLAIN_LEAF_TYPES:
                break
        else:
            return False
    elif value_type is dict:
        for item in value.values():
            if type(item) not in PLAIN_LEAF_TYPES:
                break
        else:
            return False
    if isinstance(value, Value):
        return True
    if value_type in (list, tuple, set, dict) or hasattr(value, "__dataclass_fields__"):
        from redun.value.nested import iter_nested_value

        return any(
            isinstance(item, Value) or type(item) not in PLAIN_LEAF_TYPES
            for item in iter_nested_value(value)
        )
    return True


def preprocess_args(
    registry: TypeRegistry, job: Job, args: tuple, kwargs: dict
) -> tuple[tuple, dict, bool]:
    """Preprocess every nested value of the arguments; Handles get their call order.

    Also says whether any argument was a Handle (its old branches may need rollback).
    """
    if not _has_values(args) and not _has_values(kwargs):
        return args, kwargs, False
    parent = job.parent_job
    saw_handle = False

    def process(value: Any) -> Any:
        nonlocal saw_handle
        if type(value) in PLAIN_LEAF_TYPES:
            return value
        preprocess_args: dict = {}
        if getattr(value, "__handle__", None) is not None:
            saw_handle = True
        if parent is not None and getattr(value, "__handle__", None) is not None:
            forks = parent.handle_forks
            if forks is None:
                forks = parent.handle_forks = {}
            key = value.get_hash()
            # Upstream numbers a parent's forks of one handle from 1 (0 is the root's).
            call_order = forks.get(key, 0) + 1
            forks[key] = call_order
            preprocess_args = {"call_order": call_order}
        return registry.preprocess(value, preprocess_args)

    new_args, new_kwargs = map_nested_value(process, (args, kwargs))
    return tuple(new_args), new_kwargs, saw_handle


def postprocess_result(registry: TypeRegistry, job: Job, result: Any) -> Any:
    """Postprocess every nested value of a task's result (``pre_call_hash`` for Handles)."""
    if not _has_values(result):
        return result
    postprocess_args = {"pre_call_hash": job.eval_hash}
    return map_nested_value(lambda value: registry.postprocess(value, postprocess_args), result)
