"""Spark executor overhead: first-task latency and per-task overhead after the first.

Runs a chain of N small Spark tasks (``workflow.py``) in one ``redun run`` per mode on
``local[2]`` and reports, from timestamps each task body records:

- first-task latency: from the start of ``redun run`` to the end of the first body
  (includes starting Spark: the JVM in session mode, a spark-submit in submit mode);
- per-task overhead after the first: the mean gap between one body's end and the next
  body's start (each task depends on the previous one), i.e. what redun and the mode
  add around a task, excluding the Spark work itself;
- per-task wall time after the first: (end of the last body - end of the first) / (N-1).

Usage (from the repository root, with the hatch test environment's Python)::

    python benchmarks/spark/bench.py [--tasks 20] [--modes session submit] [--json out]
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
INI = """[backend]
db_uri = sqlite:///redun.db

[executors.spark]
type = spark
master = local[2]
mode = {mode}
max_workers = 1
job_monitor_interval = 0.1
conf.spark.ui.enabled = false
conf.spark.driver.host = 127.0.0.1
conf.spark.driver.bindAddress = 127.0.0.1
"""


def run_mode(mode: str, tasks: int) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"redun-spark-bench-{mode}-") as repo:
        os.makedirs(os.path.join(repo, ".redun"))
        with open(os.path.join(repo, ".redun", "redun.ini"), "w") as out:
            out.write(INI.format(mode=mode))
        shutil.copy(os.path.join(HERE, "workflow.py"), os.path.join(repo, "workflow.py"))
        env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1")
        command = [sys.executable, "-c", "from redun.cli.main import main; main()"]
        command += ["run", "workflow.py", "chain", "--n", str(tasks), "--salt", str(time.time())]
        started = time.time()
        result = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True)
        wall = time.time() - started
        if result.returncode != 0:
            raise SystemExit(f"{mode} run failed:\n{result.stderr[-3000:]}")
        timings = ast.literal_eval(result.stdout.strip())
    gaps = [timings[i + 1][2] - timings[i][3] for i in range(len(timings) - 1)]
    bodies = [end - start for _, _, start, end in timings]
    return {
        "mode": mode,
        "tasks": tasks,
        "run_wall_s": round(wall, 2),
        "first_task_latency_s": round(timings[0][3] - started, 2),
        "overhead_after_first_mean_s": round(statistics.mean(gaps), 3),
        "overhead_after_first_max_s": round(max(gaps), 3),
        "wall_per_task_after_first_s": round(
            (timings[-1][3] - timings[0][3]) / max(1, len(timings) - 1), 3
        ),
        "body_after_first_mean_s": round(statistics.mean(bodies[1:]), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=20)
    parser.add_argument("--modes", nargs="+", default=["session", "submit"])
    parser.add_argument("--json", help="also write the figures to this file")
    options = parser.parse_args()
    results = [run_mode(mode, options.tasks) for mode in options.modes]
    for row in results:
        print(json.dumps(row))
    if options.json:
        with open(options.json, "w") as out:
            json.dump(results, out, indent=2)


if __name__ == "__main__":
    main()
