"""Tasks the AWS Batch tests run as real ``redun oneshot`` jobs on the emulator."""

from __future__ import annotations

import os
import time

from redun import task

redun_namespace = "batch_flow"


@task(executor="batch", memory=0.5, vcpus=2)
def add(a: int, b: int) -> int:
    return a + b


@task(executor="batch")
def boom(x: int) -> int:
    print(f"about to fail on {x}")
    raise ValueError(f"bad input {x}")


@task(executor="batch", script=True)
def shout(word: str) -> str:
    return f"echo {word} | tr a-z A-Z"


@task(executor="batch")
def wait_for(path: str, value: int) -> int:
    while not os.path.exists(path):
        time.sleep(0.05)
    return value


@task(executor="batch", timeout=1)
def nap(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


@task()
def fan_out(n: int) -> list:
    return [add(i, 1) for i in range(n)]
