"""Fan-out of ``n`` trivial tasks joined by one sum: per-job scheduling and recording cost."""

from redun import task

redun_namespace = "bench.fanout"


@task()
def inc(i: int) -> int:
    return i + 1


@task()
def total(values: list) -> int:
    return sum(values)


@task()
def main(n: int = 1000) -> int:
    return total([inc(i) for i in range(n)])
