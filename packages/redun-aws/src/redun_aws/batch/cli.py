"""``redun aws ...``: look at and stop the AWS Batch jobs of this repo's executors.

Each command reads the ``[executors.*]`` sections of type ``aws_batch`` in redun.ini
(``-e NAME`` picks one) and talks to their queues; the group is returned by the
``redun_cli_commands`` hook, so ``redun --help`` never imports boto3.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import click

ALL_STATUSES = ("SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED", "FAILED")
INFLIGHT = ALL_STATUSES[:5]


def make_aws_group() -> click.Group:
    @click.group("aws", help="AWS Batch jobs of this repo's aws_batch executors.")
    def aws() -> None:
        pass

    @aws.command("list-jobs")
    @click.option(
        "-s",
        "--status",
        multiple=True,
        type=click.Choice(ALL_STATUSES),
        help="Only jobs with this status (repeatable; default: all).",
    )
    @click.option("-e", "--executor", "executor_name", help="Only this executor section.")
    def list_jobs(status: tuple[str, ...], executor_name: str | None) -> None:
        """List the Batch jobs redun submitted (jobs named with the executor's prefix)."""
        for executor in _executors(executor_name):
            for job in _jobs(executor, status or ALL_STATUSES):
                click.echo(
                    f"{job['jobId']}  {job['status']:<9}  {job['jobName']}  "
                    f"(executor {executor.name}, queue {executor.settings['queue']})"
                )

    @aws.command("kill-jobs")
    @click.option(
        "-s",
        "--status",
        multiple=True,
        type=click.Choice(INFLIGHT),
        help="Only jobs with this status (repeatable; default: every unfinished one).",
    )
    @click.option("-e", "--executor", "executor_name", help="Only this executor section.")
    @click.option("-y", "--yes", is_flag=True, help="Do not ask for confirmation.")
    def kill_jobs(status: tuple[str, ...], executor_name: str | None, yes: bool) -> None:
        """Terminate the unfinished Batch jobs redun submitted."""
        for executor in _executors(executor_name):
            jobs = list(_jobs(executor, status or INFLIGHT))
            if not jobs:
                continue
            queue = executor.settings["queue"]
            if not yes and not click.confirm(f"Terminate {len(jobs)} job(s) in queue {queue}?"):
                continue
            batch = executor.batch_service().client("batch")
            for job in jobs:
                batch.terminate_job(jobId=job["jobId"], reason="Terminated by redun aws kill-jobs")
                click.echo(f"terminated {job['jobId']}  {job['jobName']}")

    @aws.command("logs")
    @click.argument("job_id", required=False, metavar="JOB")
    @click.option("-b", "--batch-job", help="The AWS Batch job id (same as JOB).")
    @click.option("-l", "--log-stream", help="A CloudWatch log stream of /aws/batch/job.")
    @click.option("-a", "--all", "all_lines", is_flag=True, help="Every line, not the last 1000.")
    @click.option("-e", "--executor", "executor_name", help="The executor section to use.")
    def logs(
        job_id: str | None,
        batch_job: str | None,
        log_stream: str | None,
        all_lines: bool,
        executor_name: str | None,
    ) -> None:
        """Print a Batch job's CloudWatch log."""
        from redun.errors import UsageError

        from redun_aws.batch.logs import format_event, iter_log_events
        from redun_aws.batch.logs import log_stream as find_stream

        job_id = job_id or batch_job
        if not job_id and not log_stream:
            raise UsageError("redun aws logs needs a JOB id (or --log-stream)")
        service = next(iter(_executors(executor_name))).batch_service()
        if not log_stream:
            jobs = service.client("batch").describe_jobs(jobs=[job_id]).get("jobs", [])
            if not jobs:
                raise UsageError(f"AWS Batch has no job {job_id}")
            log_stream = find_stream(service.client("batch"), jobs[0])
            if not log_stream:
                click.echo(f"job {job_id} has no log yet ({jobs[0]['status']})")
                return
        limit = None if all_lines else 1000
        events = list(iter_log_events(service.client("logs"), log_stream, limit, reverse=True))
        for event in reversed(events):
            click.echo(format_event(event))

    return aws


def _executors(name: str | None) -> Iterator[Any]:
    from redun.errors import UsageError

    from redun_aws.batch.executor import AWSBatchExecutor

    state = click.get_current_context().find_root().obj
    sections = dict(state.config().get("executors", {}) or {})
    found = [
        AWSBatchExecutor(key, config=dict(section))
        for key, section in sections.items()
        if section.get("type") == "aws_batch" and (name is None or key == name)
    ]
    if not found:
        which = f"named '{name}' " if name else ""
        raise UsageError(
            f"no aws_batch executor {which}in redun.ini ([executors.NAME] type = aws_batch)"
        )
    yield from found


def _jobs(executor: Any, statuses: tuple[str, ...]) -> Iterator[dict]:
    from redun_aws.batch.errors import batch_errors

    service = executor.batch_service()
    batch = service.client("batch")
    prefix = f"{service.prefix}-"
    with batch_errors(f"listing jobs of queue '{service.queue}'"):
        paginator = batch.get_paginator("list_jobs")
        for status in statuses:
            for page in paginator.paginate(jobQueue=service.queue, jobStatus=status):
                for job in page.get("jobSummaryList", []):
                    if ":" not in job["jobId"] and job["jobName"].startswith(prefix):
                        yield {**job, "status": job.get("status", status)}
