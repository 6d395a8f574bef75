"""Run one command in a fresh process and measure its wall time and peak memory."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass


@dataclass
class ProcessResult:
    """What one child process did: exit code, wall time, peak RSS and its output."""

    returncode: int
    wall_s: float
    maxrss_mb: float
    stdout: str
    stderr: str
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    def stderr_tail(self, lines: int = 3) -> str:
        """Return the last non-empty stderr lines: usually the error that stopped it."""
        kept = [line for line in self.stderr.splitlines() if line.strip()]
        return " | ".join(kept[-lines:])


def run_process(
    argv: list[str], cwd: str, env: dict[str, str], timeout: float | None = None
) -> ProcessResult:
    """
    Run ``argv`` to completion and measure it.

    ``os.wait4`` gives the resource usage of this child alone, so peak RSS is per run
    rather than the running maximum that ``RUSAGE_CHILDREN`` reports. The child gets its
    own session so a timeout kills it together with anything it started.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv, cwd=cwd, env=env, stdout=out, stderr=err, start_new_session=True
        )
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        try:
            _pid, status, usage = os.wait4(proc.pid, 0)
        finally:
            if timer:
                timer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return ProcessResult(
            returncode=proc.returncode,
            wall_s=wall,
            maxrss_mb=usage.ru_maxrss / 1024.0,  # Linux reports kilobytes.
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            timed_out=timed_out.is_set(),
        )


def best_of(
    argv: list[str], cwd: str, env: dict[str, str], repeat: int = 5, timeout: float = 120
) -> ProcessResult:
    """Run ``argv`` ``repeat`` times and keep the fastest successful run (or the failure)."""
    best: ProcessResult | None = None
    for _ in range(repeat):
        result = run_process(argv, cwd, env, timeout)
        if not result.ok:
            return result
        if best is None or result.wall_s < best.wall_s:
            best = result
    assert best is not None
    return best
