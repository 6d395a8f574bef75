"""The benchmark workflows and how to tell a correct run from a broken one."""

from __future__ import annotations

import os
from dataclasses import dataclass

BENCH_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKFLOW_DIR = os.path.join(BENCH_DIR, "workflows")


def _fib(n: int) -> int:
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


@dataclass(frozen=True)
class WorkflowCase:
    """
    One workflow run with one argument.

    ``tasks`` is the number of distinct task calls the workflow makes; it is the
    numerator of tasks/s for every engine, so an engine that records fewer job rows on
    a cached rerun is not penalised (or flattered) by its bookkeeping.
    ``min_jobs`` is the fewest job rows a cold run may record and ``expected`` the
    printed result: together they keep a broken engine from looking fast.
    """

    name: str
    module: str
    args: tuple[str, ...]
    tasks: int
    min_jobs: int
    expected: str
    upstream_slow: bool = False
    # The local executor's mode: "thread" (the default) or "process".
    mode: str = "thread"
    # Also time `redun log -` on the cached run's execution (first screen and whole).
    log: bool = False
    # Upstream is not run: its figure is this case's, scaled by the task counts.
    extrapolate_from: str | None = None

    @property
    def path(self) -> str:
        return os.path.join(WORKFLOW_DIR, f"{self.module}.py")


def hello() -> WorkflowCase:
    return WorkflowCase("hello", "hello", (), 3, 3, "'Hello, World!'")


def fanout(n: int, slow: bool = False, **options: object) -> WorkflowCase:
    total = n * (n + 1) // 2
    args = ("--n", str(n))
    return WorkflowCase(f"fanout-{n}", "fanout", args, n + 2, n + 2, str(total), slow, **options)


def process_fanout(n: int) -> WorkflowCase:
    """The fan-out on the process executor: every job pickled to a worker process."""
    total = n * (n + 1) // 2
    args = ("--n", str(n))
    return WorkflowCase(
        f"process-fanout-{n}", "fanout", args, n + 2, n + 2, str(total), mode="process"
    )


def chain(n: int) -> WorkflowCase:
    return WorkflowCase(f"chain-{n}", "chain", ("--n", str(n)), n + 1, n + 1, str(n))


def fib(n: int, slow: bool = False) -> WorkflowCase:
    # Distinct calls: fib(0..n), add for every fib(k>=2), and main.
    tasks = (n + 1) + max(n - 1, 0) + 1
    return WorkflowCase(f"fib-{n}", "fib", ("--n", str(n)), tasks, tasks, str(_fib(n)), slow)


def workflow_cases(quick: bool, smoke: bool = False) -> list[WorkflowCase]:
    """Return the workflow cases of a full, ``--quick`` or ``--smoke`` run, in run order."""
    if smoke:
        # Every kind of case at a size that only proves the harness still works.
        return [
            hello(),
            fanout(20, log=True),
            fanout(40, log=True, extrapolate_from="fanout-20"),
            process_fanout(10),
            chain(10),
            fib(5),
        ]
    if quick:
        return [hello(), fanout(200, log=True), process_fanout(100), chain(200), fib(12)]
    return [
        hello(),
        fanout(1000),
        fanout(5000, slow=True, log=True),
        # Upstream would take hours: its figure is extrapolated from fanout-5000.
        fanout(100_000, log=True, extrapolate_from="fanout-5000"),
        process_fanout(1000),
        chain(500),
        fib(18, slow=True),
    ]
