"""Every use of moto's internals, in one place, for the moto version pinned in the
``emulator`` extra (``moto[server]==5.2.5``).

With Batch's container mode off (``use_docker: false``), moto's Batch backend marks a
job finished the moment it is submitted (``BatchSimpleBackend._mark_job_as_finished``).
The seam replaces that one method so that a :class:`~redun_aws.emulator.runner.JobRunner`
really runs the job, and reads and writes the few fields of moto's ``Job`` the runner
needs. moto also drops parts of a SubmitJob request (``nodeOverrides``, the resources of
``containerOverrides``, ``retryStrategy``, ``shareIdentifier``...) and leaves
``nodeProperties`` out of DescribeJobDefinitions: the seam keeps each job's request,
runs it as Batch would (:mod:`redun_aws.emulator.job_specs`), and adds those fields to
the describe answers. A new moto version must be checked against this module before the
pin moves.
"""

from __future__ import annotations

import dataclasses
import datetime
import threading
from typing import Any

from redun_aws.emulator import job_specs

PINNED_MOTO = "5.2.5"

# The statuses moto's Job uses.
RUNNING = "RUNNING"
SUCCEEDED = "SUCCEEDED"
FAILED = "FAILED"
LOG_GROUP = "/aws/batch/job"


def check_version() -> None:
    import moto

    if moto.__version__ != PINNED_MOTO:
        raise RuntimeError(
            f"redun_aws.emulator needs moto {PINNED_MOTO}, found {moto.__version__}: "
            "pip install 'redun-aws[emulator]'"
        )


def start_server(port: int) -> Any:
    """moto's threaded server on 127.0.0.1, with Batch's container mode off."""
    from moto.core.config import default_user_config
    from moto.moto_api import state_manager
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer

    default_user_config["batch"] = {"use_docker": False}
    # Statuses move only when the runner moves them.
    state_manager.set_transition("batch::job", {"progression": "manual", "times": 10**9})
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return server


def server_port(server: Any) -> int:
    return int(server.get_host_and_port()[1])


# What a SubmitJob request said that moto drops (its Job keeps only some of it).
REQUEST_KEYS = (
    "containerOverrides",
    "nodeOverrides",
    "retryStrategy",
    "shareIdentifier",
    "schedulingPriorityOverride",
    "propagateTags",
)
_submitting = threading.local()


def install_runner(runner: Any) -> None:
    """Route every submitted job (and array child) to ``runner.start(job, is_parent)``,
    and make Batch's describe calls report what each job was submitted with."""
    from moto.batch.models import Job, JobDefinition
    from moto.batch.responses import BatchResponse
    from moto.batch_simple.models import BatchSimpleBackend

    submit_job = BatchResponse.submitjob
    describe_job = Job.describe
    describe_definition = JobDefinition.describe

    def submitjob(self: Any) -> str:
        # moto builds and starts the job inside this call, on this thread.
        _submitting.request = {
            key: self._get_param(key) for key in REQUEST_KEYS if self._get_param(key) is not None
        }
        try:
            return submit_job(self)
        finally:
            _submitting.request = {}

    def mark_job(self: Any, include_start_attempt: bool, job: Any) -> None:
        self.backend._jobs[job.job_id] = job
        job.log_stream_name = job._stream_name
        job.redun_request = dict(getattr(_submitting, "request", {}))
        # moto calls this for an array's parent without a start attempt, after its children.
        runner.start(job, is_parent=not include_start_attempt)

    def describe(self: Any) -> dict[str, Any]:
        return _described(self, describe_job(self))

    def describe_def(self: Any) -> dict[str, Any]:
        result = describe_definition(self)
        if self.node_properties is not None:
            result["nodeProperties"] = self.node_properties
        return result

    BatchResponse.submitjob = submitjob  # type: ignore[method-assign]
    BatchSimpleBackend._mark_job_as_finished = mark_job  # type: ignore[method-assign]
    Job.describe = describe  # type: ignore[method-assign]
    JobDefinition.describe = describe_def  # type: ignore[method-assign]


def _described(job: Any, result: dict[str, Any]) -> dict[str, Any]:
    """moto's description of a job, plus what Batch also reports: the resources and
    node properties it runs with, the reason its container stopped, its retry strategy,
    share and priority."""
    request = getattr(job, "redun_request", None)
    if request is None:
        return result
    if job.job_definition.type == "multinode":
        result["nodeProperties"] = job_specs.apply_node_overrides(
            job.job_definition.node_properties, request.get("nodeOverrides")
        )
    elif "container" in result:
        container = _container(job, request)
        result["container"]["resourceRequirements"] = container.get("resourceRequirements", [])
        if "linuxParameters" in container:
            result["container"]["linuxParameters"] = container["linuxParameters"]
    reason = getattr(job, "redun_container_reason", None)
    if reason:
        result.setdefault("container", {})["reason"] = reason
    for key, name in (
        ("retryStrategy", "retryStrategy"),
        ("shareIdentifier", "shareIdentifier"),
        ("schedulingPriorityOverride", "schedulingPriority"),
        ("propagateTags", "propagateTags"),
    ):
        if key in request:
            result[name] = request[key]
    return result


def _container(job: Any, request: dict[str, Any]) -> dict[str, Any]:
    properties = job.job_definition.container_properties or {}
    return job_specs.apply_overrides(properties, request.get("containerOverrides"))


# -- reading a job ---------------------------------------------------------------------
def job_id(job: Any) -> str:
    return str(job.job_id)


def job_nodes(job: Any) -> list[job_specs.NodeSpec]:
    """What to run: one spec for a container job, one per node of a multi-node job, each
    with the job's overrides applied and moto's parameters substituted."""
    request = getattr(job, "redun_request", None) or {}
    if job.job_definition.type == "multinode":
        properties = job_specs.apply_node_overrides(
            job.job_definition.node_properties, request.get("nodeOverrides")
        )
        specs = job_specs.node_specs(properties)
    else:
        if "containerOverrides" not in request:
            request = {**request, "containerOverrides": job.container_overrides}
        specs = [job_specs.container_spec(_container(job, request))]
    return [
        dataclasses.replace(spec, command=list(job._add_parameters_to_command(spec.command)))
        for spec in specs
    ]


def array_index(job: Any) -> int | None:
    index = job.array_properties.get("index")
    return None if index is None else int(index)


def attempt_duration(job: Any) -> float | None:
    seconds = job._get_attempt_duration()
    return float(seconds) if seconds else None


def stop_requested(job: Any) -> str | None:
    """The reason given to TerminateJob/CancelJob, once one was: to the job itself or,
    for an array child, to its parent (stopping a parent stops every child, as in Batch;
    moto only marks the parent)."""
    if job.stop:
        return job.job_stopped_reason
    parent = parent_of(job)
    if parent is not None and parent.stop:
        return parent.job_stopped_reason
    return None


def parent_of(job: Any) -> Any | None:
    parent_id, sep, _ = job.job_id.partition(":")
    if not sep:
        return None
    return job.all_jobs.get(parent_id)


def children_of(job: Any) -> list[Any]:
    return list(job._child_jobs or [])


# -- changing a job ----------------------------------------------------------------------
def set_running(job: Any) -> None:
    job.job_started_at = datetime.datetime.now()
    job._start_attempt()
    job.status = RUNNING


def set_pending(job: Any) -> None:
    job.status = "PENDING"


def set_runnable(job: Any) -> None:
    job.status = "RUNNABLE"


def set_stopped(
    job: Any,
    success: bool,
    reason: str,
    exit_code: int | None,
    container_reason: str | None = None,
) -> None:
    """The job ends: ``reason`` is its ``statusReason``; ``container_reason`` why its
    container stopped, when Batch would say (``OutOfMemoryError: ...``)."""
    job.exit_code = exit_code
    job.job_stopped_reason = reason
    job.redun_container_reason = container_reason
    job._mark_stopped(success=success)
    if job.latest_attempt is not None:
        job.latest_attempt["statusReason"] = reason
        if exit_code is not None:
            job.latest_attempt["container"]["exitCode"] = exit_code
        if container_reason:
            job.latest_attempt["container"]["reason"] = container_reason


def set_parent_done(parent: Any, success: bool, reason: str) -> None:
    parent.job_stopped_reason = reason
    parent._mark_stopped(success=success)


def put_logs(job: Any, lines: list[tuple[int, str]]) -> None:
    """Append ``(timestamp ms, message)`` lines to the job's CloudWatch log stream."""
    backend = job._log_backend
    backend.ensure_log_group(LOG_GROUP)
    backend.ensure_log_stream(LOG_GROUP, job._stream_name)
    events = [{"timestamp": ts, "message": message} for ts, message in lines]
    backend.put_log_events(LOG_GROUP, job._stream_name, events)
