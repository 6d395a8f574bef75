"""A finished, recorded job is released: a big fan-out does not keep every Job alive
while its join waits, and what the run still needs of it (its call hash for the parent's
call node and for a later twin call) stays."""

from __future__ import annotations

import gc

from redun import task
from redun.backends.db import Job as JobDb
from redun.scheduler.job import Job

redun_namespace = "test_finished_jobs"


def test_finished_children_of_a_waiting_parent_are_released(make_scheduler):
    alive: list[int] = []

    @task()
    def inc(i: int) -> int:
        return i + 1

    @task()
    def total(values: list) -> int:
        gc.collect()
        alive.append(
            sum(1 for o in gc.get_objects() if isinstance(o, Job) and o.task_name.endswith("inc"))
        )
        return sum(values)

    @task()
    def main(n: int) -> int:
        return total([inc(i) for i in range(n)])

    scheduler = make_scheduler()
    assert scheduler.run(main(300)) == sum(range(1, 301))
    # Every inc finished before total started: none of their 300 Jobs is held by the run
    # (each of the 20 worker threads may still hold the last job it ran).
    assert alive[0] <= 20
    session = scheduler.backend.session
    (main_job,) = session.query(JobDb).filter(JobDb.task_hash == main.hash).all()
    children = main_job.call_node.children
    assert len(children) == 301  # 300 inc calls and total, from the released jobs


def test_a_twin_call_after_the_first_was_released_reuses_it(make_scheduler, calls):
    @task()
    def inc(i: int) -> int:
        calls.hit("inc")
        return i + 1

    @task()
    def first() -> int:
        return inc(1)

    @task()
    def second(x: int) -> int:
        # Called once `first` is done (and its inc job released): the same call again.
        return inc(1) + x

    @task()
    def main() -> int:
        return second(first())

    scheduler = make_scheduler()
    assert scheduler.run(main()) == 4
    assert calls["inc"] == 1
    session = scheduler.backend.session
    jobs = session.query(JobDb).filter(JobDb.task_hash == inc.hash).all()
    assert sorted(job.cached for job in jobs) == [False, True]
    assert len({job.call_hash for job in jobs}) == 1
