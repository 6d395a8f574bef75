"""Tasks the remote-lifecycle tests run through real ``redun oneshot`` processes."""

from __future__ import annotations

import os
import time

from redun import task

redun_namespace = "remote_flow"


@task(executor="remote")
def add(a: int, b: int) -> int:
    return a + b


@task(executor="remote")
def boom(x: int) -> int:
    print(f"about to fail on {x}")
    raise ValueError(f"bad input {x}")


@task(executor="remote", script=True)
def shout(word: str) -> str:
    return f"echo {word} | tr a-z A-Z"


@task(executor="remote")
def wait_for(path: str, value: int) -> int:
    while not os.path.exists(path):
        time.sleep(0.05)
    return value


@task(executor="remote")
def nap(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


@task()
def fan_out(n: int) -> list:
    return [add(i, 1) for i in range(n)]
