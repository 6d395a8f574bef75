"""``RedunClient``: the ``redun`` command run in-process, as upstream's tests and users do.

``RedunClient().execute(["redun", "run", "wf.py", "main"])`` runs the command as the
shell would, but returns the command's value (for ``run``, the workflow's result),
raises the workflow's own exception when it fails, writes output to ``client.stdout``,
and leaves the scheduler it used in ``client.scheduler`` for inspecting the record.
"""

from __future__ import annotations

import functools
import sys
from contextlib import redirect_stderr, redirect_stdout
from typing import IO, Any

import click

from redun.errors import RedunError, UsageError

ARGV_KEY = "redun.client_argv"


class RedunClientError(RedunError):
    """A command given to :class:`RedunClient` failed (its message is the CLI's)."""


class RedunClient:
    """Run ``redun`` commands in this process."""

    def __init__(self, stdout: IO[str] | None = None, stderr: IO[str] | None = None) -> None:
        self.stdout: IO[str] = stdout if stdout is not None else sys.stdout
        self.stderr: IO[str] = stderr if stderr is not None else sys.stderr
        self.scheduler: Any = None
        self.repo = "default"

    def execute(self, argv: list[str] | None = None) -> Any:
        """Run ``argv`` (``argv[0]`` is the program name, as in ``sys.argv``).

        Returns the command's value; a failed workflow raises its task's exception, a
        bad command a :class:`RedunClientError` (or the RedunError behind it).
        """
        from redun.cli.main import cli

        argv = list(sys.argv if argv is None else argv)
        with redirect_stdout(self.stdout), redirect_stderr(self.stderr):
            try:
                ctx = cli.make_context("redun", argv[1:])
                # The command line `redun run` records on the execution (not sys.argv).
                ctx.meta[ARGV_KEY] = argv
                with ctx:
                    result = cli.invoke(ctx)
                    state = ctx.obj
                    if state is not None:
                        self.repo = state.repo
                        if state.scheduler is not None:
                            self.scheduler = state.scheduler
                    return result
            except click.exceptions.Exit as exc:
                if exc.exit_code:
                    raise RedunClientError(f"redun exited with code {exc.exit_code}") from exc
                return None
            except click.ClickException as exc:
                raise RedunClientError(exc.format_message()) from exc
            except RedunError as exc:
                from redun.cli.oneshot import OneshotFailed
                from redun.cli.run import WorkflowFailed
                from redun.cli.script_import import ScriptImportError

                cause = exc.__cause__
                unwrapped = (WorkflowFailed, OneshotFailed, ScriptImportError)
                if isinstance(exc, unwrapped) and isinstance(cause, Exception):
                    # The task's (or the script's own) exception, as a caller of
                    # scheduler.run() or of `import` would see it, as upstream's client.
                    raise cause from None
                if isinstance(exc, UsageError):
                    raise _as_client_error(exc) from exc.__cause__
                raise

    def get_scheduler(self, *args: Any, **kwargs: Any) -> Any:
        """The scheduler of the last ``run``, or one built from the repository's config."""
        if self.scheduler is None:
            from redun.cli.setup import build_scheduler
            from redun.config import get_config_dir, load_config

            self.scheduler = build_scheduler(load_config(get_config_dir(None)))
            self.scheduler.load()
        return self.scheduler

    def get_session(self, *args: Any, **kwargs: Any) -> Any:
        """An ORM session on the repository (``redun.backends.db.RedunSession``)."""
        return self.get_scheduler().backend.session


@functools.cache
def _client_error_class(cls: type[UsageError]) -> type:
    """``cls`` that is also a ``RedunClientError``."""
    return type(cls.__name__, (cls, RedunClientError), {"__module__": cls.__module__})


def _as_client_error(exc: UsageError) -> BaseException:
    """A bad command's error as upstream's client raises it, a ``RedunClientError``,
    still an instance of its own class (``ConfigError``, ...) for code catching that."""
    error = _client_error_class(type(exc))(*exc.args)
    error.__dict__.update(exc.__dict__)
    return error.with_traceback(exc.__traceback__)
