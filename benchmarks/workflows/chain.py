"""A chain of ``n`` dependent tasks: no parallelism, exactly one job ready at a time.

Each ``step`` returns the expression for the next step, so the chain grows as it runs.
Building ``step(step(...))`` 500 deep up front is not an option: upstream redun 0.44.1
overflows the recursion limit pickling a nested expression around 150 levels deep.
"""

from redun import task

redun_namespace = "bench.chain"


@task()
def step(i: int, n: int) -> int:
    if i + 1 >= n:
        return i + 1
    return step(i + 1, n)


@task()
def main(n: int = 500) -> int:
    return step(0, n)
