"""Ctrl-C on `redun run`, sent as a real SIGINT to a real process.

What a user expects: nothing starts after the signal, running jobs get a grace period
(a second Ctrl-C stops waiting), every job that finished is recorded (a rerun repeats
none of them), the rest and the execution show as interrupted in `redun log`, and the
command exits 130 with one line.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

WORKFLOW = """
import os
import time

from redun import task

LOG = os.environ["BODY_LOG"]


def note(kind, i):
    with open(LOG, "a") as out:
        out.write(f"{kind} {i} {time.time():.6f}\\n")


@task()
def work(i: int, seconds: float = 0.05) -> int:
    note("start", i)
    time.sleep(seconds)
    note("end", i)
    return i


@task()
def total(values: list) -> int:
    return sum(values)


@task()
def main(n: int = 400, seconds: float = 0.05) -> int:
    return total([work(i, seconds) for i in range(n)])
"""


class Bodies:
    """What the task bodies of one process wrote: start and end times per call."""

    def __init__(self, path: Path) -> None:
        self.starts: dict[int, float] = {}
        self.ends: set[int] = set()
        if path.exists():
            for line in path.read_text().splitlines():
                kind, i, when = line.split()
                if kind == "start":
                    self.starts[int(i)] = float(when)
                else:
                    self.ends.add(int(i))


def start_run(project: Path, log: str, *args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDUN_")}
    env["BODY_LOG"] = str(project / log)
    return subprocess.Popen(
        [sys.executable, "-m", "redun.cli.main", "run", *args],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_starts(project: Path, log: str, count: int) -> None:
    deadline = time.monotonic() + 60
    while len(Bodies(project / log).starts) < count:
        assert time.monotonic() < deadline, "the workflow never got going"
        time.sleep(0.01)


def interrupt(process: subprocess.Popen) -> float:
    sent = time.time()
    process.send_signal(signal.SIGINT)
    return sent


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "wf.py").write_text(WORKFLOW)
    return tmp_path


def test_ctrl_c_starts_nothing_new_and_a_rerun_repeats_only_unfinished_jobs(project) -> None:
    first = start_run(project, "first.log", "wf.py", "main")
    wait_for_starts(project, "first.log", 60)
    sent = interrupt(first)
    out, err = first.communicate(timeout=60)
    bodies = Bodies(project / "first.log")

    assert first.returncode == 130, err
    assert [t for t in bodies.starts.values() if t > sent] == []
    assert set(bodies.starts) == bodies.ends  # running jobs had their grace period
    assert len(bodies.ends) < 400
    assert "Traceback" not in err
    (line,) = [line for line in err.splitlines() if line.startswith("redun:")]
    assert line.startswith("redun: interrupted: execution ")
    assert f"{len(bodies.ends)} job(s) finished and recorded" in line

    rerun = start_run(project, "second.log", "wf.py", "main")
    out, err = rerun.communicate(timeout=120)
    again = Bodies(project / "second.log")

    assert rerun.returncode == 0, err
    assert out.strip() == str(sum(range(400)))
    assert set(again.starts) == set(range(400)) - bodies.ends


def recorded_statuses(project: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """(job task name, result type) of the first execution, and its tag keys."""
    with sqlite3.connect(project / ".redun" / "redun.db") as conn:
        (execution,) = conn.execute("SELECT id FROM execution").fetchall()
        jobs = conn.execute(
            "SELECT task.name, value.type FROM job JOIN task ON task.hash = job.task_hash "
            "LEFT JOIN call_node ON call_node.call_hash = job.call_hash "
            "LEFT JOIN value ON value.value_hash = call_node.value_hash "
            "WHERE job.execution_id = ?",
            execution,
        ).fetchall()
        tags = [
            row[0] for row in conn.execute("SELECT key FROM tag WHERE entity_id = ?", execution)
        ]
    return jobs, tags


def test_interrupted_jobs_and_execution_show_in_redun_log(project) -> None:
    first = start_run(project, "first.log", "wf.py", "main", "--n", "100", "--seconds", "0.2")
    wait_for_starts(project, "first.log", 5)
    interrupt(first)
    first.communicate(timeout=60)
    finished = Bodies(project / "first.log").ends

    jobs, tags = recorded_statuses(project)
    listing = subprocess.run(
        [sys.executable, "-m", "redun.cli.main", "log"],
        cwd=project,
        capture_output=True,
        text=True,
    )

    assert "redun.interrupted" in tags
    # Every job has an end: the finished with their results, the rest with an error.
    work = [value_type for name, value_type in jobs if name == "work"]
    assert work.count("builtins.int") == len(finished)
    assert work.count("redun.ErrorValue") == len(work) - len(finished)
    assert None not in work
    assert "[ RUN  ]" not in listing.stdout
    assert "[FAILED]" in listing.stdout and "redun.interrupted=true" in listing.stdout


def test_a_job_still_running_after_the_grace_period_is_abandoned(project) -> None:
    (project / ".redun").mkdir()
    (project / ".redun" / "redun.ini").write_text(
        "[backend]\ndb_uri = sqlite:///redun.db\n[scheduler]\ninterrupt_grace = 0.5\n"
    )
    first = start_run(project, "first.log", "wf.py", "main", "--n", "2", "--seconds", "60")
    wait_for_starts(project, "first.log", 2)
    sent = interrupt(first)
    out, err = first.communicate(timeout=30)

    assert first.returncode == 130, err
    assert time.time() - sent < 30  # did not wait for the 60 s bodies
    assert "0 job(s) finished and recorded" in err
    jobs, _ = recorded_statuses(project)
    assert [t for name, t in jobs if name == "work"] == ["redun.ErrorValue"] * 2


def test_a_second_ctrl_c_stops_waiting_for_running_jobs(project) -> None:
    first = start_run(
        project, "first.log", "--interrupt-grace", "300", "wf.py", "main", "--n", "2",
        "--seconds", "60",
    )  # fmt: skip
    wait_for_starts(project, "first.log", 2)
    interrupt(first)
    time.sleep(1.0)  # the run is now waiting out its 300 s grace period
    sent = interrupt(first)
    out, err = first.communicate(timeout=30)

    assert first.returncode == 130, err
    assert time.time() - sent < 30  # neither the grace period nor the bodies waited for
    assert "waiting up to 300s for 2 running job(s)" in err
    (line,) = [line for line in err.splitlines() if line.startswith("redun:")]
    assert line.endswith(
        "0 job(s) finished and recorded, 4 marked interrupted; run again to finish the rest"
    )


def test_scheduler_run_raises_a_keyboard_interrupt_after_recording(make_scheduler, job_rows):
    import threading

    from redun import task

    running = threading.Semaphore(0)

    @task(namespace="interrupt_lib")
    def slow(i: int) -> int:
        running.release()
        time.sleep(0.3)
        return i

    @task(namespace="interrupt_lib")
    def press_ctrl_c() -> str:
        for _ in range(2):
            running.acquire(timeout=10)  # both slow jobs are running
        os.kill(os.getpid(), signal.SIGINT)  # as the terminal would, mid-run
        return "pressed"

    @task(namespace="interrupt_lib")
    def fan_out() -> list:
        return [slow(1), slow(2), press_ctrl_c()]

    scheduler = make_scheduler()
    with pytest.raises(KeyboardInterrupt) as info:
        scheduler.run(fan_out())

    assert "interrupted: execution" in str(info.value)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    # The running jobs finished within the grace period, and with them the workflow.
    results = sorted((name, value_type) for _, name, _, end, value_type in job_rows())
    assert results == [
        ("interrupt_lib.fan_out", "builtins.list"),
        ("interrupt_lib.press_ctrl_c", "builtins.str"),
        ("interrupt_lib.slow", "builtins.int"),
        ("interrupt_lib.slow", "builtins.int"),
    ]
