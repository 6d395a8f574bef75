"""`redun launch`: run a whole command (usually `redun run ...`) as one job on an executor.

The scheduler itself then runs where the executor puts the job (a container, a batch
node), so a laptop can start a long workflow and go away. Without ``--wait`` the job is
handed to the executor and nothing is recorded here: the launched `redun run` records
its own execution in whatever repository it uses. With ``--wait`` the launch runs as a
normal execution of this repository and its output is printed.

The job is upstream's: ``redun.script_task`` with the command as its argument, given
to the executor through ``submit_script``, so any executor that runs shell scripts (the
local ones here, docker and batch in plugins) can host a launch.
"""

from __future__ import annotations

import logging
import shlex
from typing import TYPE_CHECKING, Any

import click

from redun.cli.state import get_state
from redun.errors import ExecutorError, RedunError, UsageError

if TYPE_CHECKING:
    from redun.config import Config
    from redun.executors.base import Executor
    from redun.scheduler import Job

logger = logging.getLogger("redun")
LOCAL_DEFAULTS = {"default": {"type": "local"}, "process": {"type": "local", "mode": "process"}}


class LaunchFailed(RedunError):
    """The launched command exited with an error."""


def _executor_sections(config: Config) -> dict[str, Any]:
    sections = {name: dict(section) for name, section in LOCAL_DEFAULTS.items()}
    sections.update({name: section for name, section in config.get("executors", {}).items()})
    return sections


def build_executor(config: Config, name: str) -> Executor:
    """The executor ``name`` from redun.ini (``default`` and ``process`` always exist)."""
    from redun.executors.base import get_executor_from_config

    return get_executor_from_config(_executor_sections(config), name)


def code_package_command(config: Config, executor_name: str, command: str) -> str:
    """Prefix ``command`` with fetching and unpacking a tarball of the user's code."""
    section = _executor_sections(config).get(executor_name)
    if section is None:
        raise UsageError(f"unknown executor '{executor_name}': add [executors.{executor_name}]")
    try:
        from redun.executors.code_packaging import (
            code_package_enabled,
            package_code,
            parse_code_package_config,
        )
    except ImportError as exc:
        raise UsageError(
            "--code-package needs redun.executors.code_packaging, which this installation "
            "lacks; launch without it"
        ) from exc
    if not code_package_enabled(section):
        raise UsageError(
            f"executor '{executor_name}' has code_package = false; "
            "drop --code-package or enable it in redun.ini"
        )
    executor = build_executor(config, executor_name)
    code_file = package_code(executor.scratch_root(), parse_code_package_config(section))
    return f"redun fs cp {shlex.quote(code_file.path)} - | tar xzf - ; {command}"


class _Reporter:
    """Stands in for a scheduler when nobody waits for the launched job."""

    def __init__(self) -> None:
        self.error: BaseException | None = None

    def done_job(self, job: Job, result: Any) -> None:
        logger.info("Launched job %s finished.", job.id[:8])

    def reject_job(self, job: Job, error: BaseException, error_traceback: Any = None) -> None:
        self.error = error


def submit_launch(
    config: Config, executor_name: str, command: str, task_options: dict[str, Any]
) -> Job:
    """Hand ``command`` to the executor as one job and return without recording anything.

    Executors that run jobs elsewhere return at once; the local executors cannot
    outlive this process, so their ``stop()`` waits for the command to finish.
    """
    from redun.hashing import hash_eval
    from redun.scheduler.job import Execution, Job
    from redun.scripting import script_task as launch_task
    from redun.value import get_type_registry

    executor = build_executor(config, executor_name)
    reporter = _Reporter()
    executor.scheduler = reporter  # type: ignore[assignment]
    options = {**launch_task.get_task_options(), **task_options, "executor": executor_name}
    expr = launch_task.options(**options)(command)
    job = Job(launch_task, expr, execution=Execution())
    job.options = options
    job.kwargs = {"command": command}
    job.eval_hash, job.args_hash = hash_eval(
        get_type_registry(), launch_task.hash, job.args, job.kwargs
    )
    logger.info("Launch Job %s on %s: %s", job.id[:8], executor_name, command)
    executor.start()
    try:
        executor.submit_script(job)
    finally:
        executor.stop()
    if reporter.error is not None:
        raise LaunchFailed(f"launched job {job.id[:8]} failed: {reporter.error}")
    return job


def wait_launch(
    config: Config,
    executor_name: str,
    command: str,
    task_options: dict[str, Any],
    argv: list[str] | None = None,
) -> Any:
    """Run the launch job as an execution of this repository and return its output."""
    from redun.scheduler.config import setup_scheduler
    from redun.scripting import script_task

    scheduler = setup_scheduler(config)
    if executor_name not in scheduler.executors:
        known = ", ".join(sorted(scheduler.executors))
        raise ExecutorError(f"unknown executor '{executor_name}' (configured: {known})")
    options = {**task_options, "executor": executor_name}
    logger.info("Run within Executor %s: %s", executor_name, command)
    try:
        return scheduler.run(script_task.options(**options)(command), exec_argv=argv)
    finally:
        scheduler.backend.close()


@click.command(
    "launch",
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
)
@click.option("--executor", "executor_name", required=True, help="Executor to run the command.")
@click.option("--code-package", is_flag=True, help="Ship a tarball of the code with the job.")
@click.option("-o", "--option", "options", multiple=True, metavar="K=V", help="Job option.")
@click.option("--wait", is_flag=True, help="Wait for the command and print its output.")
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED)
def launch_command(
    executor_name: str,
    code_package: bool,
    options: tuple[str, ...],
    wait: bool,
    command: tuple[str, ...],
) -> None:
    """Run COMMAND as one job on an executor, usually a whole `redun run`.

    Example: `redun launch --executor batch redun run wf.py main`. Without --wait the
    job is submitted and nothing is recorded here; with --wait this repository records
    the launch and prints the command's output.
    """
    from redun.cli.run import configure_cli_logging, parse_key_values
    from redun.text_format import format_result

    configure_cli_logging()
    config = get_state().config()
    task_options = parse_key_values(options, "--option")
    script = shlex.join(command)
    if code_package:
        script = code_package_command(config, executor_name, script)
    if not wait:
        submit_launch(config, executor_name, script, task_options)
        return
    try:
        argv = ["redun", "launch", "--executor", executor_name, "--wait", *command]
        result = wait_launch(config, executor_name, script, task_options, argv)
    except RedunError:
        raise
    except Exception as exc:
        raise LaunchFailed(f"{type(exc).__name__}: {' '.join(str(exc).split())}") from exc
    if result is not None:
        # Printed as `redun run` prints a result, like upstream: the script's output
        # is bytes, so it shows as b"...".
        click.echo(format_result(result))
