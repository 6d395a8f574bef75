"""The failure summary and task traceback logged when a workflow fails (upstream's form)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from redun.scheduler.report import format_job_call, format_job_frame

if TYPE_CHECKING:
    from redun.scheduler.job import Job


def failure_lines(failed: list[Job], error: BaseException) -> list[str]:
    """Every job that failed on its own (when several did), then the traceback from the
    root job down to the first failure, then the error itself."""
    failed_ids = {job.id for job in failed}
    leaves = [job for job in failed if not any(c.id in failed_ids for c in job.child_jobs)]
    lines: list[str] = []
    if len(leaves) > 1:
        lines.append(f"*** {len(leaves)} jobs failed:")
        for job in leaves:
            job_error = getattr(job, "result", None)
            lines.append(f"***   Job {job.id[:8]}: {format_job_call(job)}: {job_error!r}")
    lines.append("*** Execution failed. Traceback (most recent task last):")
    for job in _failure_chain(failed):
        lines.extend(format_job_frame(job))
    trace = getattr(error, "__redun_traceback__", None)
    if trace is not None:
        for line in trace.format():
            lines.extend(str(line).rstrip("\n").split("\n"))
    lines.append(f"{type(error).__name__}: {error}")
    return lines


def _failure_chain(failed: list[Job]) -> list[Job]:
    """The first failed job and its ancestors, root first."""
    chain: list[Job] = []
    job: Job | None = failed[0] if failed else None
    while job is not None:
        chain.append(job)
        job = job.parent_job
    return list(reversed(chain))
