"""Fan out over a list known only at run time with map_, then fan back in.

redun run fan_out.py main --n 20 --chunk-size 6
"""

from redun import task
from redun.functools import flatten, map_

redun_namespace = "fan_out"


@task()
def make_chunks(n: int, chunk_size: int) -> list[list[int]]:
    """Split 1..n into chunks; how many there are is only known when this runs."""
    numbers = list(range(1, n + 1))
    return [numbers[i : i + chunk_size] for i in range(0, len(numbers), chunk_size)]


@task()
def square_chunk(chunk: list[int]) -> list[int]:
    """One job per chunk; the jobs run in parallel."""
    return [x * x for x in chunk]


@task()
def total(values: list[int]) -> int:
    return sum(values)


@task()
def main(n: int = 20, chunk_size: int = 6) -> int:
    chunks = make_chunks(n, chunk_size)  # lazy: a list of unknown length
    squares = map_(square_chunk, chunks)  # fan out: one square_chunk job per chunk
    return total(flatten(squares))  # fan in
