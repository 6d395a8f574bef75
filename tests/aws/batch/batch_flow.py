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


@task(
    executor="batch",
    vcpus=3,
    memory=0.75,
    gpus=1,
    shared_memory=0.25,
    retries=2,
    share_id="redun",
    scheduling_priority_override=7,
)
def sized(x: int) -> int:
    return x * 10


@task(executor="batch", num_nodes=3, vcpus=2, memory=0.5)
def on_nodes(directory: str) -> int:
    """Each node leaves its mark; the main node's return value is the job's result."""
    node = os.environ["AWS_BATCH_JOB_NODE_INDEX"]
    with open(os.path.join(directory, f"node-{node}"), "w") as out:
        out.write(os.environ["AWS_BATCH_JOB_MAIN_NODE_PRIVATE_IPV4_ADDRESS"])
    return int(os.environ["AWS_BATCH_JOB_NUM_NODES"])


@task(executor="batch", memory=0.25)
def hog(megabytes: int) -> int:
    """Holds ``megabytes`` of memory (every page written) for a while."""
    held = b"x" * (megabytes * 1024 * 1024)
    time.sleep(2)
    return len(held) // (1024 * 1024)


@task(executor="batch")
def env_value(name: str) -> str:
    """What the job's container sees of one environment variable."""
    return os.environ.get(name, "")


@task(executor="batch", batch_tags={"stage": "test"})
def tagged(x: int) -> int:
    return x


@task()
def fan_out(n: int) -> list:
    return [add(i, 1) for i in range(n)]


@task(executor="batch")
def wait_alone(path: str) -> str:
    while not os.path.exists(path):
        time.sleep(0.05)
    return "alone"


@task()
def wait_all(path: str, n: int) -> list:
    """``n`` jobs of one task (an array job) and one of another (a single job), which
    run until ``path`` exists."""
    return [wait_for(path, i) for i in range(n)] + [wait_alone(path)]
