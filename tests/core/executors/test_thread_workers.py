"""The local executor's thread pool: parallel when it should be, bounded, and drained on
shutdown."""

from __future__ import annotations

import threading
import time

from redun.executors.thread_workers import ThreadWorkers


def test_calls_after_an_idle_period_still_run_in_parallel():
    workers = ThreadWorkers(max_workers=8, name="t")
    done = threading.Event()
    workers.submit(done.set)
    assert done.wait(5)
    time.sleep(0.05)  # the first thread is idle now

    barrier = threading.Barrier(4, timeout=5)
    broken: list[BaseException] = []

    def meet() -> None:
        try:
            barrier.wait()
        except threading.BrokenBarrierError as error:
            broken.append(error)

    for _ in range(4):
        workers.submit(meet)
    workers.shutdown()
    assert broken == [], "four calls waiting for each other must each get a thread"


def test_never_more_threads_than_max_workers_and_shutdown_drains_the_queue():
    workers = ThreadWorkers(max_workers=3, name="t")
    lock = threading.Lock()
    running = peak = 0
    finished: list[int] = []

    def work(i: int) -> None:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.01)
        with lock:
            running -= 1
            finished.append(i)

    for i in range(30):
        workers.submit(work, i)
    workers.shutdown()
    assert sorted(finished) == list(range(30))
    assert peak == 3
    assert len(workers._threads) == 3


def test_a_call_raising_does_not_take_its_worker_down(caplog):
    workers = ThreadWorkers(max_workers=1, name="t")
    results: list[int] = []

    def boom() -> None:
        raise ValueError("boom")

    workers.submit(boom)
    workers.submit(results.append, 7)
    workers.shutdown()
    assert results == [7]
    assert "boom" in caplog.text
