"""AWS Batch's service calls for core's remote-job lifecycle.

Only calls live here: SubmitJob (one per single job, one per array of up to
``max_array_size`` children), DescribeJobs (100 ids per call), TerminateJob, ListJobs
(once per run, to reattach), and CloudWatch Logs for a failed job's log tail. Core's
lifecycle decides when to make them (:mod:`redun.executors.remote`).

Job names follow upstream: ``<prefix>-<eval hash>`` for a single job and
``<prefix>-<array hash>-array`` for an array job, whose children's eval hashes are in
``<s3_scratch>/array_jobs/<array hash>/eval_hashes``; a later run reattaches by them.
Job tags follow upstream too: each redun job records ``aws_batch_job`` (its Batch job
id) when submitted and, when it finishes, ``aws_log_stream`` (its CloudWatch stream).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from redun.executors.remote import scratch as scratch_files
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

from redun_aws.batch.errors import batch_errors
from redun_aws.batch.job_definitions import JobDefinitions, job_def_details, make_job_def_name
from redun_aws.batch.options import group_signature, job_settings

if TYPE_CHECKING:
    from redun.executors.remote.jobs import RemoteJob

INFLIGHT = ("SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING")
LOG_GROUP = "/aws/batch/job"
# Upstream's job tags: which Batch job ran a redun job, and where its log is.
JOB_TAG = "aws_batch_job"
LOG_STREAM_TAG = "aws_log_stream"
ARRAY_SUFFIX = "array"
TIMEOUT_REASON = "Job attempt duration exceeded timeout"
# What Batch says when a Spot instance (or any host) under a job is reclaimed.
PREEMPTED_PREFIX = "Host EC2"
# A container's reason when the kernel killed it for using more than its memory.
OOM_PREFIX = "OutOfMemoryError"
_STATES = {"SUCCEEDED": SUCCEEDED, "FAILED": FAILED, "RUNNING": RUNNING}


class BatchService(JobService):
    """Calls to AWS Batch for one executor section.

    ``settings`` are the section's parsed batch settings (:mod:`redun_aws.batch.options`);
    a job's task options override them.
    """

    service_name: ClassVar[str] = "AWS Batch"
    supports_arrays: ClassVar[bool] = True
    max_describe: ClassVar[int] = 100

    def __init__(
        self, settings: Mapping[str, Any], scratch: str, region: str | None = None
    ) -> None:
        self.settings = dict(settings)
        self.scratch = scratch
        self.region = region
        self.queue = str(settings["queue"])
        self.prefix = str(settings["job_name_prefix"])
        self._clients: dict[str, Any] = {}
        self._definitions: JobDefinitions | None = None
        self._default_role: str | None = None
        self._aws_user: str | None = None

    # -- clients --------------------------------------------------------------------------
    def client(self, name: str) -> Any:
        client = self._clients.get(name)
        if client is None:
            import boto3.session

            session = boto3.session.Session(region_name=self.region)
            client = self._clients[name] = session.client(name)
        return client

    @property
    def definitions(self) -> JobDefinitions:
        if self._definitions is None:
            self._definitions = JobDefinitions(self.client("batch"))
        return self._definitions

    # -- settings of one job ----------------------------------------------------------------
    def job_settings(self, job: RemoteJob) -> dict[str, Any]:
        settings = job.extra.get("batch")
        if settings is None:
            settings = job.extra["batch"] = job_settings(self.settings, job.job.get_options())
        return settings

    def group_key(self, job: RemoteJob) -> Hashable:
        settings = self.job_settings(job)
        if settings.get("num_nodes") or job.script:
            return ("alone", id(job))  # multi-node and script jobs never form arrays
        task = job.job.task
        return (task.fullname, task.hash, group_signature(settings))

    # -- submitting -----------------------------------------------------------------------
    def submit_job(self, job: RemoteJob, command: list[str]) -> str:
        settings = self.job_settings(job)
        name = f"{settings['job_name_prefix']}-{job.eval_hash}"
        response = self._submit(job, settings, name, command, array_size=0)
        return str(response["jobId"])

    def submit_array(self, jobs: Sequence[RemoteJob], command: list[str]) -> list[str]:
        settings = self.job_settings(jobs[0])
        array_hash = scratch_files.array_hash([job.eval_hash for job in jobs])
        name = f"{settings['job_name_prefix']}-{array_hash}-{ARRAY_SUFFIX}"
        response = self._submit(jobs[0], settings, name, command, array_size=len(jobs))
        parent = str(response["jobId"])
        return [f"{parent}:{index}" for index in range(len(jobs))]

    def _submit(
        self,
        job: RemoteJob,
        settings: Mapping[str, Any],
        name: str,
        command: list[str],
        array_size: int,
    ) -> Mapping[str, Any]:
        queue = str(settings.get("queue") or self.queue)
        with batch_errors(f"submitting {job.task_name} to AWS Batch queue '{queue}'"):
            definition = self._definition_arn(settings)
            args = self._submit_args(job, settings, command)
            if array_size:
                args["arrayProperties"] = {"size": array_size}
            return self.client("batch").submit_job(
                jobName=name[:128],
                jobQueue=queue,
                jobDefinition=definition,
                retryStrategy={"attempts": int(settings["retries"])},
                propagateTags=True,
                **args,
            )

    def _definition_arn(self, settings: Mapping[str, Any]) -> str:
        image = str(settings["image"])
        name = settings.get("job_def_name") or make_job_def_name(image)
        if not settings["autocreate_job_def"]:
            return self.definitions.get_arn(name, None, autocreate=False)
        details = job_def_details(
            image,
            role=self._role(settings.get("role")),
            num_nodes=settings.get("num_nodes"),
            shared_memory=settings.get("shared_memory"),
            privileged=bool(settings.get("privileged")),
            job_def_extra=settings.get("job_def_extra"),
        )
        return self.definitions.get_arn(name, details, autocreate=True)

    def _role(self, role: str | None) -> str:
        if role:
            return role
        if self._default_role is None:
            account = self.client("sts").get_caller_identity()["Account"]
            self._default_role = f"arn:aws:iam::{account}:role/ecsTaskExecutionRole"
        return self._default_role

    def _submit_args(
        self, job: RemoteJob, settings: Mapping[str, Any], command: list[str]
    ) -> dict[str, Any]:
        resources = [
            {"type": "VCPU", "value": str(settings["vcpus"])},
            {"type": "MEMORY", "value": str(int(float(settings["memory"]) * 1024))},
        ]
        if settings.get("gpus"):
            resources.append({"type": "GPU", "value": str(settings["gpus"])})
        args: dict[str, Any] = {}
        if settings.get("num_nodes"):
            worker = _worker_command(command)
            args["nodeOverrides"] = {
                "nodePropertyOverrides": [
                    {
                        "targetNodes": "0",
                        "containerOverrides": {
                            "command": command,
                            "resourceRequirements": resources,
                        },
                    },
                    {
                        "targetNodes": "1:",
                        "containerOverrides": {
                            "command": worker,
                            "resourceRequirements": resources,
                        },
                    },
                ]
            }
        else:
            args["containerOverrides"] = {"command": command, "resourceRequirements": resources}
        if settings.get("timeout"):
            args["timeout"] = {"attemptDurationSeconds": int(settings["timeout"])}
        tags = self._tags(job, settings)
        if tags:
            args["tags"] = tags
        if settings.get("share_id") is not None:
            args["shareIdentifier"] = str(settings["share_id"])
        if settings.get("scheduling_priority_override") is not None:
            args["schedulingPriorityOverride"] = int(settings["scheduling_priority_override"])
        return args

    def _tags(self, job: RemoteJob, settings: Mapping[str, Any]) -> dict[str, str]:
        tags: dict[str, str] = {}
        if settings.get("default_batch_tags", True):
            redun_job = job.job
            execution = getattr(redun_job, "execution", None)
            root = getattr(execution, "job", None)
            tags = {
                "redun_job_id": redun_job.id,
                "redun_task_name": redun_job.task.fullname,
                "redun_execution_id": getattr(execution, "id", "") or "",
                "redun_project": (root.task.namespace if root is not None else "") or "",
                "redun_aws_user": self.aws_user(),
            }
        tags.update({str(k): str(v) for k, v in (settings.get("batch_tags") or {}).items()})
        return tags

    def aws_user(self) -> str:
        """The caller's ARN, for the ``redun_aws_user`` tag (once per executor)."""
        if self._aws_user is None:
            try:
                self._aws_user = str(self.client("sts").get_caller_identity()["Arn"])
            except Exception:
                self._aws_user = ""
        return self._aws_user

    # -- observing --------------------------------------------------------------------------
    def describe(self, remote_ids: Sequence[str]) -> dict[str, RemoteStatus]:
        with batch_errors("polling AWS Batch jobs"):
            response = self.client("batch").describe_jobs(jobs=list(remote_ids))
        statuses = {}
        for job in response.get("jobs", []):
            status = batch_status(job)
            if status.is_terminal:
                status = dataclasses.replace(status, tags=self._log_stream_tag(job))
            statuses[str(job["jobId"])] = status
        return statuses

    def job_tags(self, remote_id: str) -> list[tuple[str, str]]:
        """Upstream's tag: the Batch job id (``PARENT:INDEX`` for an array child)."""
        return [(JOB_TAG, remote_id)]

    def _log_stream_tag(self, job: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
        """``aws_log_stream``, the finished job's CloudWatch stream (a multi-node job's
        is its main node's, one more DescribeJobs call)."""
        from redun_aws.batch.logs import log_stream

        try:
            stream = log_stream(self.client("batch"), job)
        except Exception:  # the tag is a convenience: never fail the job for it
            stream = None
        return ((LOG_STREAM_TAG, stream),) if stream else ()

    def list_active(self) -> list[ActiveJob]:
        active = []
        for summary in self._list_inflight(jobQueue=self.queue):
            job_id, name = str(summary["jobId"]), str(summary["jobName"])
            if ":" in job_id or not name.startswith(f"{self.prefix}-"):
                continue  # an array child (listed with its parent) or not ours
            name_hash = name[len(self.prefix) + 1 :]
            if name_hash.endswith(f"-{ARRAY_SUFFIX}"):
                found = self._active_array(job_id, name_hash[: -len(ARRAY_SUFFIX) - 1])
                if found is not None:
                    active.append(found)
            elif "-" not in name_hash:
                active.append(ActiveJob(job_id, (name_hash,)))
        return active

    def _active_array(self, job_id: str, array_hash: str) -> ActiveJob | None:
        paths = scratch_files.JobPaths(f"{self.scratch}/array_jobs/{array_hash}")
        hashes = scratch_files.read_array_hashes(paths)
        if not hashes:
            return None
        running = []
        for child in self._list_inflight(arrayJobId=job_id):
            index = _child_index(child)
            if 0 <= index < len(hashes):
                running.append((index, str(child["jobId"])))
        running.sort()
        if not running:
            return None
        return ActiveJob(
            job_id, tuple(hashes[i] for i, _ in running), tuple(cid for _, cid in running)
        )

    def _list_inflight(self, **where: str) -> Iterator[Mapping[str, Any]]:
        with batch_errors("listing AWS Batch jobs"):
            paginator = self.client("batch").get_paginator("list_jobs")
            for status in INFLIGHT:
                for page in paginator.paginate(jobStatus=status, **where):
                    yield from page.get("jobSummaryList", [])

    def log_tail(self, remote_id: str, lines: int = 20) -> list[str]:
        from redun_aws.batch.logs import job_log_lines

        return job_log_lines(self, remote_id, limit=lines)

    # -- stopping ---------------------------------------------------------------------------
    def cancel(self, remote_ids: Sequence[str], reason: str) -> None:
        batch = self.client("batch")
        singles = [i for i in remote_ids if ":" not in i]
        parents = sorted({i.partition(":")[0] for i in remote_ids if ":" in i})
        for job_id in singles + parents:
            try:
                batch.terminate_job(jobId=job_id, reason=reason)
            except Exception:  # gone already: nothing to stop
                pass

    def detach_hint(self, remote_ids: Sequence[str]) -> str:
        return (
            "rerun the same command to reattach to them, or stop them with "
            f"'redun aws kill-jobs' (queue {self.queue})"
        )

    def close(self) -> None:
        self._clients.clear()


def batch_status(job: Mapping[str, Any]) -> RemoteStatus:
    """A DescribeJobs entry as the lifecycle's status, with why a failed job failed."""
    state = _STATES.get(str(job.get("status")), PENDING)
    if state != FAILED:
        return RemoteStatus(state, str(job.get("statusReason", "")))
    reason = _failure_reason(job)
    cause = None
    if reason.startswith(PREEMPTED_PREFIX):
        cause = PREEMPTED
    elif TIMEOUT_REASON in reason:
        cause = TIMEOUT
    elif reason.startswith(OOM_PREFIX):
        reason += _memory_hint(job)
    return RemoteStatus(FAILED, reason, cause)


def _memory_hint(job: Mapping[str, Any]) -> str:
    """What the job had and what to change, for a job killed for memory."""
    containers = [job.get("container") or {}]
    for node_range in (job.get("nodeProperties") or {}).get("nodeRangeProperties", []):
        containers.append(node_range.get("container") or {})
    for container in containers:
        for requirement in container.get("resourceRequirements", []):
            if requirement.get("type") == "MEMORY":
                gigabytes = float(requirement["value"]) / 1024
                return f" (memory = {gigabytes:g} GB: raise the task's memory option)"
    return " (raise the task's memory option)"


def _failure_reason(job: Mapping[str, Any]) -> str:
    """The most specific reason Batch gives: the container's (killed for memory), the
    last attempt's, the job's."""
    attempts = job.get("attempts") or []
    last = attempts[-1] if attempts else {}
    reasons = [
        last.get("container", {}).get("reason"),
        job.get("container", {}).get("reason"),
        last.get("statusReason"),
        job.get("statusReason"),
    ]
    found = [str(r) for r in reasons if r]
    if not found:
        return "no reason given"
    # The status reason says whether a host went away; the container's says why it died.
    status = str(job.get("statusReason") or last.get("statusReason") or "")
    if status.startswith(PREEMPTED_PREFIX) or TIMEOUT_REASON in status:
        return status
    return found[0]


def _child_index(summary: Mapping[str, Any]) -> int:
    """An array child's index: from its summary, else from its id (``PARENT:INDEX``)."""
    index = summary.get("arrayProperties", {}).get("index")
    if index is None:
        suffix = str(summary["jobId"]).rpartition(":")[2]
        return int(suffix) if suffix.isdigit() else -1
    return int(index)


def _worker_command(command: list[str]) -> list[str]:
    """A multi-node worker's command: the main node alone writes the job's output."""
    worker = list(command)
    if "--output" in worker:
        worker[worker.index("--output") + 1] = "/dev/null"
    if "--no-cache" not in worker:
        worker.insert(worker.index("--input"), "--no-cache")
    return worker
