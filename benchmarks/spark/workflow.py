"""Twenty small Spark tasks in a chain, each timing its own body (see bench.py)."""

from __future__ import annotations

import time

import redun.glue as glue
from redun import task

redun_namespace = "spark_bench"


@task(executor="spark")
def small(i: int, previous: list) -> list:
    start = time.time()
    rows = glue.get_spark_session().range(i + 1).count()
    return [*previous, (i, rows, start, time.time())]


@task()
def chain(n: int = 20, salt: str = "") -> list:
    # Each task waits for the previous one, so the gap between one body's end and the
    # next body's start is redun's own overhead (dispatch, recording, reporting).
    timings: list = []
    for i in range(n):
        timings = small(i, timings)
    return timings
