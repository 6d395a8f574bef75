"""Benchmark: the AWS Batch API calls of a 1,000-call fan-out, on the local emulator.

The requirements it checks: 1,000 ready calls of one task submit as at most 2
``SubmitJob`` calls (array jobs), and polling 1,000 jobs costs at most 10
``DescribeJobs`` calls per monitor interval. Calls are counted in this process with
botocore's own hook point (every client call of the scheduler's executor goes through
``BaseClient._make_api_call``).

The emulator (``python -m redun_aws.emulator``) runs with ``--max-running`` slots, as a
compute environment of limited size would: the first jobs really run (``redun oneshot``
processes) while the rest wait RUNNABLE, so polling sees 1,000 unfinished jobs. After
``--intervals`` polls the run is interrupted with ``on_interrupt = terminate``. Run it
with an interpreter that has redun-core and redun-aws[emulator], such as hatch-test's::

    $(hatch env find hatch-test | head -1)/bin/python benchmarks/aws_batch_calls.py

The exit code is 1 when a limit is exceeded.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

WORKFLOW = """
from redun import task


@task(executor="batch")
def item(i: int) -> int:
    return i


@task()
def main(n: int) -> list:
    return [item(i) for i in range(n)]
"""


def start_emulator(directory: Path, max_running: int) -> tuple[subprocess.Popen, dict]:
    env_file = directory / "aws.env"
    with open(directory / "emulator.log", "wb") as log:
        process = _popen_emulator(env_file, max_running, log)
    deadline = time.monotonic() + 120
    while not env_file.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            log_text = (directory / "emulator.log").read_text()
            raise SystemExit(f"the emulator did not start: {log_text}")
        time.sleep(0.1)
    env = {}
    for line in env_file.read_text().splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        env[key] = value
    return process, env


def _popen_emulator(env_file: Path, max_running: int, log: object) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "redun_aws.emulator",
            "--env-file",
            str(env_file),
            "--max-running",
            str(max_running),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def count_calls() -> Counter:
    import botocore.client

    counts: Counter = Counter()
    original = botocore.client.BaseClient._make_api_call

    def counting(self, operation, params):  # type: ignore[no-untyped-def]
        counts[operation] += 1
        return original(self, operation, params)

    botocore.client.BaseClient._make_api_call = counting  # type: ignore[method-assign]
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--interval", type=float, default=1.0, help="job_monitor_interval")
    parser.add_argument("--intervals", type=int, default=3, help="polls to measure")
    parser.add_argument("--max-running", type=int, default=2, help="emulator job slots")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    directory = Path(tempfile.mkdtemp(prefix="redun-batch-bench-"))
    emulator, env = start_emulator(directory, args.max_running)
    try:
        os.environ.update(env)
        import boto3

        bucket = "redun-batch-bench"
        boto3.client("s3").create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": env["AWS_REGION"]}
        )
        work = directory / "work"
        work.mkdir()
        (work / "fanout_flow.py").write_text(WORKFLOW)
        os.chdir(work)
        sys.path.insert(0, str(work))
        import fanout_flow
        from redun import Scheduler

        counts = count_calls()
        section = {
            "type": "aws_batch",
            "image": "bench",
            "queue": "redun-local",
            "s3_scratch": f"s3://{bucket}/redun",
            "job_monitor_interval": str(args.interval),
            "job_stale_time": "1",
            "on_interrupt": "terminate",
            "log_tail_lines": "0",
        }
        scheduler = Scheduler(
            config={
                "backend": {"db_uri": f"sqlite:///{directory}/redun.db"},
                "executors.batch": section,
            }
        )
        executor = scheduler.executors["batch"]
        outcome: dict = {}

        def run() -> None:
            try:
                outcome["result"] = scheduler.run(fanout_flow.main(args.jobs))
            except BaseException as error:  # the interrupt ends it
                outcome["error"] = error

        start = time.perf_counter()
        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        while executor._lifecycle is None or executor.lifecycle.active_count < args.jobs:
            if not thread.is_alive():
                raise SystemExit(f"the run ended early: {outcome}")
            time.sleep(0.01)
        submitted = time.perf_counter() - start
        submit_calls = counts["SubmitJob"]
        # Time the monitor thread's own polls of every job.
        lifecycle = executor.lifecycle
        poll_walls: list[float] = []
        poll_calls: list[int] = []
        poll = lifecycle._poll

        def timed_poll() -> None:
            began, calls = time.perf_counter(), counts["DescribeJobs"]
            poll()
            poll_walls.append(time.perf_counter() - began)
            poll_calls.append(counts["DescribeJobs"] - calls)

        lifecycle._poll = timed_poll  # type: ignore[method-assign]

        watched = time.perf_counter()
        while len(poll_calls) < args.intervals:
            time.sleep(0.05)
        watched = time.perf_counter() - watched
        executor.interrupt()
        scheduler.reject_job(None, KeyboardInterrupt())
        thread.join(timeout=120)

        figures = {
            "jobs": args.jobs,
            "submit_job_calls": submit_calls,
            "submit_wall_s": round(submitted, 2),
            "describe_calls_per_poll": poll_calls,
            "polls": len(poll_calls),
            "seconds_watched": round(watched, 2),
            "poll_of_all_jobs_wall_s": [round(wall, 3) for wall in poll_walls],
            "terminate_calls": counts["TerminateJob"],
            "all_calls": dict(counts),
        }
        print(json.dumps(figures, indent=2))
        if args.json:
            Path(args.json).write_text(json.dumps(figures, indent=2))
        limit_per_interval = -(-args.jobs // 100)
        ok = submit_calls <= 2 and max(poll_calls) <= limit_per_interval
        print("OK" if ok else "LIMIT EXCEEDED")
        return 0 if ok else 1
    finally:
        emulator.terminate()
        emulator.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
