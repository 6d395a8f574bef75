"""Every use of moto's internals, in one place, for the moto version pinned in the
``emulator`` extra (``moto[server]==5.2.5``).

With Batch's container mode off (``use_docker: false``), moto's Batch backend marks a
job finished the moment it is submitted (``BatchSimpleBackend._mark_job_as_finished``).
The seam replaces that one method so that a :class:`~redun_aws.emulator.runner.JobRunner`
really runs the job, and reads and writes the few fields of moto's ``Job`` the runner
needs. A new moto version must be checked against this module before the pin moves.
"""

from __future__ import annotations

import datetime
from typing import Any

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


def install_runner(runner: Any) -> None:
    """Route every submitted job (and array child) to ``runner.start(job, is_parent)``."""
    from moto.batch_simple.models import BatchSimpleBackend

    def mark_job(self: Any, include_start_attempt: bool, job: Any) -> None:
        self.backend._jobs[job.job_id] = job
        job.log_stream_name = job._stream_name
        # moto calls this for an array's parent without a start attempt, after its children.
        runner.start(job, is_parent=not include_start_attempt)

    BatchSimpleBackend._mark_job_as_finished = mark_job  # type: ignore[method-assign]


# -- reading a job ---------------------------------------------------------------------
def job_id(job: Any) -> str:
    return str(job.job_id)


def job_command(job: Any) -> list[str]:
    return list(job._add_parameters_to_command(job._get_container_property("command", [])))


def job_environment(job: Any) -> dict[str, str]:
    return {e["name"]: str(e["value"]) for e in job._get_container_property("environment", [])}


def node_count(job: Any) -> int:
    """Nodes of a multi-node job (1 for a container job)."""
    if job.job_definition.type == "multinode":
        return int(job.job_definition.node_properties["numNodes"])
    return 1


def node_command(job: Any) -> list[str]:
    """A multi-node job's command (its first node range's container)."""
    ranges = job.job_definition.node_properties["nodeRangeProperties"]
    container = ranges[0].get("container", {})
    return list(container.get("command", []))


def array_index(job: Any) -> int | None:
    index = job.array_properties.get("index")
    return None if index is None else int(index)


def attempt_duration(job: Any) -> float | None:
    seconds = job._get_attempt_duration()
    return float(seconds) if seconds else None


def stop_requested(job: Any) -> str | None:
    """The reason given to TerminateJob/CancelJob, once one was."""
    return job.job_stopped_reason if job.stop else None


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


def set_stopped(job: Any, success: bool, reason: str, exit_code: int | None) -> None:
    job.exit_code = exit_code
    job.job_stopped_reason = reason
    job._mark_stopped(success=success)
    if job.latest_attempt is not None:
        job.latest_attempt["statusReason"] = reason
        if exit_code is not None:
            job.latest_attempt["container"]["exitCode"] = exit_code


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
