"""AWS Glue's calls for core's remote-job lifecycle.

A redun job is one Glue job run of the job definition this executor creates. Remote ids
are ``JOB_NAME/RUN_ID``; a run Glue refuses for now (``ConcurrentRunsExceededException``,
``ResourceNumberLimitExceededException``) gets an id of its own (``queued/N``) and is
started again every ``job_retry_interval`` seconds while the lifecycle sees it PENDING.
Each run carries its redun eval hash in ``--redun-eval-hash``, so a scheduler started
later finds the runs still going and reattaches to them.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from redun.executors.remote.service import (
    FAILED,
    PENDING,
    RUNNING,
    SUCCEEDED,
    TIMEOUT,
    ActiveJob,
    JobService,
    RemoteStatus,
)

from redun_spark.glue.job_definition import (
    GlueSettings,
    job_definition,
    job_name,
    upload_support_files,
)

if TYPE_CHECKING:
    from redun.executors.remote.jobs import RemoteJob

REQUEUE_ERRORS = ("ConcurrentRunsExceededException", "ResourceNumberLimitExceededException")
INFLIGHT = ("STARTING", "RUNNING", "STOPPING", "WAITING")
EVAL_HASH_ARG = "--redun-eval-hash"
ARGV_ARG = "--redun-argv"
LOG_GROUPS = ("/aws-glue/jobs/error", "/aws-glue/jobs/output")


class AWSGlueService(JobService):
    """Glue job runs for one ``aws_glue`` executor."""

    service_name: ClassVar[str] = "AWS Glue"
    supports_arrays: ClassVar[bool] = False

    def __init__(self, settings: GlueSettings) -> None:
        self.settings = settings
        self._clients: dict[str, Any] = {}
        self._job_name: str | None = None
        self._queued: dict[str, dict] = {}
        self._started: dict[str, str] = {}  # queued id -> JOB_NAME/RUN_ID
        self._counter = itertools.count()

    def client(self, service: str) -> Any:
        if service not in self._clients:
            import boto3

            self._clients[service] = boto3.client(service, region_name=self.settings.aws_region)
        return self._clients[service]

    # -- the job definition -----------------------------------------------------------
    def glue_job_name(self) -> str:
        """The Glue job for this executor's settings, created on first use."""
        if self._job_name is None:
            script, library_zip = upload_support_files(self.settings)
            definition = job_definition(self.settings, script, library_zip)
            name = job_name(self.settings, definition)
            glue = self.client("glue")
            try:
                glue.get_job(JobName=name)
            except glue.exceptions.EntityNotFoundException:
                glue.create_job(Name=name, **definition)
            self._job_name = name
        return self._job_name

    # -- submitting ---------------------------------------------------------------------
    def submit_job(self, job: RemoteJob, command: list[str]) -> str:
        request = self._run_request(job, command)
        started = self._start(request)
        if started is not None:
            return started
        queued_id = f"queued/{next(self._counter)}"
        self._queued[queued_id] = {"request": request, "retry_at": self._retry_at()}
        return queued_id

    def _run_request(self, job: RemoteJob, command: list[str]) -> dict:
        options = job.job.get_options() if hasattr(job.job, "get_options") else {}
        arguments = {ARGV_ARG: json.dumps(command[1:]), EVAL_HASH_ARG: job.eval_hash}
        libs = list(options.get("additional_libs") or ())
        if libs:
            modules = self.settings.additional_libs + tuple(libs)
            from redun_spark.glue.job_definition import DEFAULT_MODULES

            arguments["--additional-python-modules"] = ",".join([*DEFAULT_MODULES, *modules])
        return {
            "JobName": self.glue_job_name(),
            "Arguments": arguments,
            "WorkerType": str(options.get("worker_type", self.settings.worker_type)),
            "NumberOfWorkers": int(options.get("workers", self.settings.workers)),
            "Timeout": int(options.get("timeout", self.settings.timeout)),
        }

    def _start(self, request: dict) -> str | None:
        """Start a run; None when Glue says to come back later."""
        from botocore.exceptions import ClientError

        try:
            response = self.client("glue").start_job_run(**request)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in REQUEUE_ERRORS:
                return None
            raise
        return f"{request['JobName']}/{response['JobRunId']}"

    def _retry_at(self) -> float:
        return time.monotonic() + self.settings.job_retry_interval

    # -- observing ----------------------------------------------------------------------
    def _resolve(self, remote_id: str) -> str | None:
        """The JOB_NAME/RUN_ID behind an id (None: a queued run not yet started)."""
        if remote_id in self._queued:
            queued = self._queued[remote_id]
            if time.monotonic() < queued["retry_at"]:
                return None
            started = self._start(queued["request"])
            if started is None:
                queued["retry_at"] = self._retry_at()
                return None
            del self._queued[remote_id]
            self._started[remote_id] = started
        return self._started.get(remote_id, remote_id)

    def describe(self, remote_ids: Sequence[str]) -> dict[str, RemoteStatus]:
        statuses: dict[str, RemoteStatus] = {}
        glue = self.client("glue")
        for remote_id in remote_ids:
            run_ref = self._resolve(remote_id)
            if run_ref is None:
                statuses[remote_id] = RemoteStatus(PENDING, "waiting for Glue capacity")
                continue
            name, _, run_id = run_ref.partition("/")
            try:
                run = glue.get_job_run(JobName=name, RunId=run_id)["JobRun"]
            except glue.exceptions.EntityNotFoundException:
                continue
            statuses[remote_id] = run_status(run)
        return statuses

    def list_active(self) -> list[ActiveJob]:
        glue = self.client("glue")
        active = []
        name = self.glue_job_name()
        for page in glue.get_paginator("get_job_runs").paginate(JobName=name):
            for run in page["JobRuns"]:
                eval_hash = (run.get("Arguments") or {}).get(EVAL_HASH_ARG)
                if eval_hash and run.get("JobRunState") in INFLIGHT:
                    active.append(ActiveJob(f"{name}/{run['Id']}", (eval_hash,)))
        return active

    def log_tail(self, remote_id: str, lines: int = 20) -> list[str]:
        """The job run's last lines from CloudWatch (error stream first)."""
        run_ref = self._started.get(remote_id, remote_id)
        run_id = run_ref.partition("/")[2]
        if not run_id:
            return []
        logs = self.client("logs")
        for group in LOG_GROUPS:
            try:
                events = logs.get_log_events(
                    logGroupName=group, logStreamName=run_id, limit=lines, startFromHead=False
                )["events"]
            except Exception:
                continue
            if events:
                return [event["message"].rstrip() for event in events][-lines:]
        return []

    def cancel(self, remote_ids: Sequence[str], reason: str) -> None:
        by_job: dict[str, list[str]] = {}
        for remote_id in remote_ids:
            self._queued.pop(remote_id, None)
            run_ref = self._started.get(remote_id, remote_id)
            name, _, run_id = run_ref.partition("/")
            if run_id:
                by_job.setdefault(name, []).append(run_id)
        for name, run_ids in by_job.items():
            try:
                self.client("glue").batch_stop_job_run(JobName=name, JobRunIds=run_ids)
            except Exception:  # best effort: the runs may be gone already
                pass

    def detach_hint(self, remote_ids: Sequence[str]) -> str:
        return f"rerun the same command to reattach; see them in Glue job {self._job_name}"


def run_status(run: dict) -> RemoteStatus:
    """A Glue job run's state as the lifecycle's."""
    state = run.get("JobRunState", "")
    reason = run.get("ErrorMessage") or state
    if state == "SUCCEEDED":
        return RemoteStatus(SUCCEEDED, reason)
    if state == "TIMEOUT":
        return RemoteStatus(FAILED, reason, TIMEOUT)
    if state in ("FAILED", "ERROR", "STOPPED"):
        return RemoteStatus(FAILED, f"Glue job run {state}: {reason}")
    return RemoteStatus(RUNNING if state in ("RUNNING", "STOPPING") else PENDING, reason)
