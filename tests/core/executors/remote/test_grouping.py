"""Which queued jobs leave now, and together."""

from __future__ import annotations

from types import SimpleNamespace

from redun.executors.remote.grouping import due_groups
from redun.executors.remote.jobs import RemoteJob
from redun.executors.remote.scratch import JobPaths


def _queued(task: str, at: float) -> RemoteJob:
    job = SimpleNamespace(task=SimpleNamespace(fullname=task))
    return RemoteJob(job=job, eval_hash=task, paths=JobPaths("x"), queued_at=at)  # type: ignore[arg-type]


def key(remote: RemoteJob) -> str:
    return remote.job.task.fullname


def test_a_group_waits_until_its_oldest_job_is_stale() -> None:
    pending = [_queued("a", 10.0), _queued("a", 10.5), _queued("b", 11.0)]
    due, waiting = due_groups(pending, key, stale_time=1.0, max_array_size=100, now=11.2)
    assert [[r.eval_hash for r in g] for g in due] == [["a", "a"]]
    assert [r.eval_hash for r in waiting] == ["b"]


def test_a_full_group_leaves_at_once_and_the_rest_waits() -> None:
    pending = [_queued("a", 10.0) for _ in range(5)]
    due, waiting = due_groups(pending, key, stale_time=1.0, max_array_size=2, now=10.0)
    assert [len(g) for g in due] == [2, 2]
    assert len(waiting) == 1


def test_a_job_whose_key_cannot_be_computed_goes_alone() -> None:
    def bad_key(remote: RemoteJob) -> str:
        raise ValueError("bad option")

    pending = [_queued("a", 0.0), _queued("a", 0.0)]
    due, _ = due_groups(pending, bad_key, stale_time=0.0, max_array_size=10, now=1.0)
    assert [len(g) for g in due] == [1, 1]
