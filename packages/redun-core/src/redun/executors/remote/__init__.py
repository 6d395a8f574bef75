"""Remote executors' shared lifecycle: submit, poll, reattach, interrupt, read results.

A plugin (redun-aws, redun-spark) writes a :class:`JobService` (the service's calls)
and a :class:`RemoteExecutor` subclass that builds it; core does the rest. Modules:

- ``service``: the contract a plugin implements (:class:`JobService`, statuses).
- ``executor``: :class:`RemoteExecutor`, the Executor that wires a service to a lifecycle.
- ``lifecycle``: :class:`RemoteJobLifecycle`, the monitor thread and its rules.
- ``grouping``: which queued jobs leave now, and together as an array.
- ``scratch``: the ``<scratch>/jobs/<eval hash>/{input,output,error}`` layout.
- ``command``: the ``redun oneshot`` command a job runs.
- ``local_service``: :class:`LocalProcessService`, jobs as local processes
  (``debug = true``, and core's tests).
"""

from __future__ import annotations

from redun.executors.remote.executor import RemoteExecutor
from redun.executors.remote.jobs import RemoteJob
from redun.executors.remote.lifecycle import LifecycleSettings, RemoteJobLifecycle
from redun.executors.remote.service import (
    FAILED,
    PENDING,
    PREEMPTED,
    RUNNING,
    SUCCEEDED,
    TIMEOUT,
    ActiveJob,
    JobService,
    RemoteStatus,
)

__all__ = [
    "FAILED",
    "PENDING",
    "PREEMPTED",
    "RUNNING",
    "SUCCEEDED",
    "TIMEOUT",
    "ActiveJob",
    "JobService",
    "LifecycleSettings",
    "RemoteExecutor",
    "RemoteJob",
    "RemoteJobLifecycle",
    "RemoteStatus",
]
