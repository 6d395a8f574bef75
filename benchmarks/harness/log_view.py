"""Time `redun log -` on a recorded execution: to its first screen, and to its end.

A user looks at the first screen; a script reads to the end. Both come from one fresh
process whose stdout is a pipe, read line by line as it arrives.
"""

from __future__ import annotations

import subprocess
import time

from .engines import Engine
from .measure import Measurement, clean_env

SCREEN = 60


def measure_log(engine: Engine, config_dir: str, cwd: str, timeout: float) -> Measurement:
    """``wall_s`` is the time to the first ``SCREEN`` lines; the whole run is in detail."""
    argv = [engine.redun, "-c", config_dir, "log", "-", "--no-pager"]
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        cwd=cwd,
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    first_screen = None
    lines = 0
    assert proc.stdout is not None
    for _ in proc.stdout:
        lines += 1
        if lines == SCREEN:
            first_screen = time.perf_counter() - start
        if time.perf_counter() - start > timeout:
            proc.kill()
            return Measurement("timeout", detail="killed at --timeout")
    _, err = proc.communicate()
    total = time.perf_counter() - start
    if proc.returncode != 0:
        tail = " | ".join(line for line in err.splitlines()[-3:] if line.strip())
        return Measurement("failed", wall_s=total, detail=f"exit {proc.returncode}: {tail}")
    if first_screen is None:
        first_screen = total
    return Measurement("ok", wall_s=first_screen, detail=f"all {lines:,} lines in {total:.2f} s")
