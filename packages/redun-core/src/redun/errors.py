"""One error hierarchy for redun and its plugins.

Every message is one line: what is wrong, where, and what to do. The CLI prints
``redun: error: <message>`` and exits 2 for usage and configuration errors
(``UsageError`` subclasses) and 1 for everything else.
"""

from __future__ import annotations


class RedunError(Exception):
    """Base class of every error redun raises on purpose."""

    exit_code = 1


class UsageError(RedunError):
    """The user asked for something malformed (bad argument, bad config)."""

    exit_code = 2


class ConfigError(UsageError):
    """redun.ini or a config override is malformed or inconsistent."""


class ConfigNotFoundError(ConfigError, FileNotFoundError):
    """A config dir named explicitly (``-c``, ``redun repo add``) has no redun.ini.

    Also a ``FileNotFoundError``, which is what upstream raises there.
    """


class PluginError(UsageError):
    """A plugin failed to load, or a name no plugin provides was requested."""


class ExecutorError(RedunError):
    """An executor could not be built or could not run a job."""


class RemoteJobError(ExecutorError):
    """A remote job (AWS Batch, Spark, Glue) failed without the task raising: the
    service's reason (killed for memory, image missing, host lost too often) is the
    message, and the job's log tail travels with it as its traceback."""


class RemoteJobTimeoutError(RemoteJobError):
    """A remote job ran past its ``timeout`` and the service stopped it."""


class FileSystemError(RedunError):
    """A file system operation failed or no file system serves a URL."""


class BackendError(RedunError):
    """The provenance database is unreachable, corrupt, or rejected a write."""


class DatabaseVersionError(BackendError):
    """The database schema is outside the range this code can use."""

    exit_code = 2


class JobInterrupted(RedunError):
    """Recorded as the result of a job that had not finished when the user pressed
    Ctrl-C (never started, or still running after the grace period): ``redun log``
    shows it, and a rerun runs the job again."""


class Interrupted(RedunError):
    """The run was interrupted (Ctrl-C); finished jobs were recorded. Exit code 130, as a
    shell reports a process ended by SIGINT. The message starts with "interrupted"."""

    exit_code = 130


class TaskNotFoundError(UsageError):
    """A task name given on the command line is not registered."""


class SchedulerError(RedunError):
    """The scheduler was used incorrectly (for example, no current scheduler)."""


class UnknownExecutorError(SchedulerError, ExecutorError):
    """A task names an executor the scheduler does not have (upstream raises
    SchedulerError; ExecutorError is what the executor machinery raises)."""


class ConflictingContextConfig(ConfigError, SchedulerError):
    """redun.ini's [scheduler] names both ``context`` and ``context_file``: upstream
    redun refuses this (raising its SchedulerError), so it is both kinds here."""


class NoCurrentScheduler(SchedulerError):
    """``get_current_scheduler()`` was called outside of a running scheduler."""

    def __init__(self, message: str = "no scheduler is running in this thread") -> None:
        super().__init__(message)


# Upstream's names for the database errors users catch.
RedunDatabaseError = BackendError
RedunVersionError = DatabaseVersionError
