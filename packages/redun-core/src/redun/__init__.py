"""redun: plain Python functions become a cached, parallel, provenance-recorded workflow.

This façade keeps ``import redun`` light: the scheduler, files and executors load on
first use through module ``__getattr__``, and plugin-provided names (``AWSBatchExecutor``,
``ShardedS3Dataset``, ...) resolve through their plugin or raise an ImportError naming the
package to install.
"""

from __future__ import annotations

import importlib
from typing import Any

from redun._version import __version__
from redun.task import PartialTask, Task, get_task_registry, namespace, scheduler_task, task
from redun.task.namespace import get_current_namespace

version = __version__

# name -> module that defines it (imported on first access).
_LAZY: dict[str, str] = {
    "Scheduler": "redun.scheduler",
    "get_current_scheduler": "redun.scheduler",
    "set_current_scheduler": "redun.scheduler",
    "cond": "redun.scheduler",
    "catch": "redun.scheduler",
    "catch_all": "redun.scheduler",
    "throw": "redun.scheduler",
    "apply_tags": "redun.scheduler",
    "merge_handles": "redun.scheduler",
    "run": "redun.scheduler",
    "get_context": "redun.scheduler",
    "File": "redun.file",
    "Dir": "redun.file",
    "FileSet": "redun.file",
    "Handle": "redun.handle",
    "script": "redun.scripting",
    "register_executor": "redun.executors.base",
    "LocalExecutor": "redun.executors.local",
    "AliasExecutor": "redun.executors.alias",
    "Executor": "redun.executors.base",
}

# Names that live in plugins: name -> (module, distribution to install). They stay out of
# __all__ so `from redun import *` works without the plugins installed.
_PLUGIN_NAMES: dict[str, tuple[str, str]] = {
    "AWSBatchExecutor": ("redun_aws.batch.executor", "redun-aws"),
    "ShardedS3Dataset": ("redun_spark.dataset", "redun-spark"),
    "ShardedDataset": ("redun_spark.dataset", "redun-spark"),
    "AWSGlueExecutor": ("redun_spark.glue.executor", "redun-spark"),
}

__all__ = [
    "Dir",
    "File",
    "Handle",
    "PartialTask",
    "Scheduler",
    "Task",
    "__version__",
    "apply_tags",
    "catch",
    "cond",
    "get_current_namespace",
    "get_current_scheduler",
    "get_task_registry",
    "merge_handles",
    "namespace",
    "run",
    "scheduler_task",
    "script",
    "set_current_scheduler",
    "task",
    "throw",
    "version",
]


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is not None:
        value = getattr(importlib.import_module(module_name), name)
        globals()[name] = value
        return value
    plugin = _PLUGIN_NAMES.get(name)
    if plugin is not None:
        module_name, dist = plugin
        try:
            module = importlib.import_module(module_name)
        except ImportError as error:
            # An AttributeError, so hasattr(redun, name) is False without the plugin.
            raise AttributeError(
                f"redun.{name} is provided by {dist}: pip install {dist}", name=name, obj=None
            ) from error
        return getattr(module, name)
    raise AttributeError(f"module 'redun' has no attribute '{name}'")
