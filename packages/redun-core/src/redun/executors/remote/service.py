"""The service contract: the calls a remote compute service (AWS Batch, Spark, Glue)
supplies to core's remote-job lifecycle.

A plugin implements :class:`JobService` with plain, blocking service calls; it never
starts threads, polls, retries preemptions or decides when to submit. The lifecycle
(:mod:`redun.executors.remote.lifecycle`) owns all of that and calls the service from
one monitor thread, so a service needs no locking of its own.

Identifiers: ``submit_job`` returns one remote id; ``submit_array`` returns one remote
id per child, in order (AWS Batch spells them ``PARENT:INDEX``). ``describe`` and
``cancel`` take any of these ids.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from redun.executors.remote.jobs import RemoteJob

# The states a remote job can be in, as far as the lifecycle cares.
PENDING = "PENDING"
RUNNING = "RUNNING"
SUCCEEDED = "SUCCEEDED"
FAILED = "FAILED"
TERMINAL_STATES = frozenset((SUCCEEDED, FAILED))

# Why a FAILED job failed, when the service can tell: the lifecycle resubmits a
# PREEMPTED job (host lost, not the job's fault) and raises TIMEOUT as its own error.
PREEMPTED = "preempted"
TIMEOUT = "timeout"


@dataclass(frozen=True)
class RemoteStatus:
    """What ``describe`` says about one remote job.

    ``state`` is one of PENDING, RUNNING, SUCCEEDED, FAILED. ``reason`` is the service's
    own words (AWS Batch's ``statusReason``); ``cause`` is PREEMPTED, TIMEOUT or None.
    ``tags`` are recorded on the redun job when it finishes (where its log is:
    ``("aws_log_stream", NAME)``).
    """

    state: str
    reason: str = ""
    cause: str | None = None
    tags: tuple[tuple[str, str], ...] = ()

    @property
    def is_terminal(self) -> bool:
        return self.state in TERMINAL_STATES


@dataclass(frozen=True)
class ActiveJob:
    """A job the service still runs, found when a scheduler starts (for reattaching).

    ``eval_hashes`` lists the redun eval hash of each job the remote job runs: one for a
    single job, one per child (in index order) for an array job; ``child_ids`` then
    holds each child's remote id.
    """

    remote_id: str
    eval_hashes: tuple[str, ...]
    child_ids: tuple[str, ...] = field(default=())

    def ids_by_hash(self) -> dict[str, str]:
        if not self.child_ids:
            return {h: self.remote_id for h in self.eval_hashes}
        return dict(zip(self.eval_hashes, self.child_ids, strict=False))


class JobService(ABC):
    """Service calls for one remote executor; see the module docstring for the rules.

    Class attributes tell the lifecycle what the service allows: ``supports_arrays``
    (many jobs of one group in one submit call), ``max_describe`` (ids per ``describe``
    call), ``service_name`` (for messages: "AWS Batch").
    """

    service_name: ClassVar[str] = "remote"
    supports_arrays: ClassVar[bool] = False
    max_describe: ClassVar[int] = 100

    def group_key(self, job: RemoteJob) -> Hashable:
        """Jobs with equal keys may run as one array job (same task and resources)."""
        return (job.job.task.fullname, job.job.task.hash)

    @abstractmethod
    def submit_job(self, job: RemoteJob, command: list[str]) -> str:
        """Start ``command`` for one job; return its remote id."""

    def submit_array(self, jobs: Sequence[RemoteJob], command: list[str]) -> list[str]:
        """Start one array job whose child ``i`` runs ``jobs[i]``; return the child ids.

        Each child finds its index in the service's usual variable (for AWS Batch,
        ``AWS_BATCH_JOB_ARRAY_INDEX``), which ``redun oneshot --array-job`` reads.
        """
        raise NotImplementedError(f"{self.service_name} has no array jobs")

    @abstractmethod
    def describe(self, remote_ids: Sequence[str]) -> dict[str, RemoteStatus]:
        """The status of at most ``max_describe`` jobs; ids it does not know are left out."""

    @abstractmethod
    def cancel(self, remote_ids: Sequence[str], reason: str) -> None:
        """Stop these jobs (queued or running); best effort, never raises for gone jobs."""

    def list_active(self) -> list[ActiveJob]:
        """Jobs this executor started earlier that still run (called once per run)."""
        return []

    def log_tail(self, remote_id: str, lines: int = 20) -> list[str]:
        """The last ``lines`` lines the job printed, when the service keeps logs."""
        return []

    def job_tags(self, remote_id: str) -> list[tuple[str, str]]:
        """Tags naming the remote job, recorded on the redun job when it is submitted
        (or reattached) and when it finishes, so ``redun log`` shows which remote job
        ran it (AWS Batch: ``("aws_batch_job", ID)``)."""
        return []

    def detach_hint(self, remote_ids: Sequence[str]) -> str:
        """How a user reattaches to or kills detached jobs, for the interrupt message."""
        return "rerun the same command to reattach to them"

    def close(self) -> None:
        """Release clients and connections; called once when the executor stops."""
        return None
