"""Tasks: the ``@task`` decorator, Task values, PartialTask, and the task registry."""

from __future__ import annotations

from redun.hashing import hash_arguments, hash_eval
from redun.task.call_hash import hash_args_eval
from redun.task.decorator import scheduler_task, task
from redun.task.namespace import compute_namespace, get_current_namespace, namespace
from redun.task.options import CacheCheckValid, CacheResult, CacheScope
from redun.task.source import get_func_source
from redun.task.task import PartialTask, SchedulerTask, Task, get_tuple_type_length, undefined_task
from redun.task.wrapping import wraps_task
from redun.task_registry import TaskRegistry, get_task_registry, split_task_fullname

__all__ = [
    "CacheCheckValid",
    "CacheResult",
    "CacheScope",
    "PartialTask",
    "SchedulerTask",
    "Task",
    "TaskRegistry",
    "compute_namespace",
    "get_current_namespace",
    "get_func_source",
    "get_task_registry",
    "get_tuple_type_length",
    "hash_args_eval",
    "hash_arguments",
    "hash_eval",
    "namespace",
    "scheduler_task",
    "split_task_fullname",
    "task",
    "undefined_task",
    "wraps_task",
]
