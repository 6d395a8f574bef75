"""The ``redun oneshot`` command a remote job runs, for one job or one array job.

Every remote executor runs the same command, so a Batch container, a Spark driver and
a local process run a job the same way: unpack the code package into the working
directory, import the task's module from there, read the input pickle, write the
output or the error pickle.
"""

from __future__ import annotations

from redun.executors.remote.jobs import RemoteJob
from redun.executors.remote.scratch import JobPaths


def required_version() -> str:
    """The oldest redun a worker may run: this release (older workers fail clearly)."""
    from redun import __version__

    parts = [p for p in __version__.split(".")[:3] if p.isdigit()]
    return ">=" + ".".join(parts or ["0"])


def oneshot_command(
    job: RemoteJob,
    paths: JobPaths,
    code_file: str | None = None,
    array: bool = False,
    array_rank_env: str | None = None,
) -> list[str]:
    """The argv of ``redun oneshot`` for ``job`` (the first child, for an array).

    ``paths`` are the job's own files, or the array's (whose output and error are JSON
    lists of the children's paths).
    """
    task = job.job.task
    command = ["redun", "--check-version", required_version(), "oneshot", task.load_module]
    command += ["--import-path", "."]
    if code_file:
        command += ["--code", code_file]
    if array:
        command.append("--array-job")
        if array_rank_env:
            command += ["--array-rank-env", array_rank_env]
    if job.script:
        command.append("--script")
    if job.job.get_option("cache", True) is False:
        command.append("--no-cache")
    command += ["--input", paths.input, "--output", paths.output, "--error", paths.error]
    command.append(task.fullname)
    return command
