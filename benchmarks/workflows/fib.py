"""Recursive Fibonacci: a deep, dynamic call tree where most subcalls repeat."""

from redun import task

redun_namespace = "bench.fib"


@task()
def add(a: int, b: int) -> int:
    return a + b


@task()
def fib(n: int) -> int:
    if n <= 1:
        return n
    return add(fib(n - 1), fib(n - 2))


@task()
def main(n: int = 18) -> int:
    return fib(n)
