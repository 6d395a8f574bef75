"""Measure the floor of a fan-out (see floor_child.py) as a fresh process, best of 3."""

from __future__ import annotations

import os

from .measure import Measurement, clean_env
from .processes import best_of

CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "floor_child.py")


def measure_floor(python: str, n: int, workdir: str, timeout: float) -> Measurement:
    root = os.path.join(workdir, f"floor-{n}")
    os.makedirs(root, exist_ok=True)
    argv = [python, CHILD, str(n), os.path.join(root, "floor.db")]
    result = best_of(argv, root, clean_env(), repeat=3, timeout=timeout)
    expected = str(n * (n + 1) // 2)
    if not result.ok or result.stdout.strip() != expected:
        return Measurement("failed", detail=f"exit {result.returncode}: {result.stderr_tail()}")
    return Measurement(
        "ok", wall_s=result.wall_s, maxrss_mb=result.maxrss_mb, tasks_per_s=n / result.wall_s
    )
