"""Run a Glue job run's driver on this machine with local Spark.

``python -m redun_spark.glue.local JOB_NAME --redun-argv '[...]' ...`` (or
:func:`run_job_run`) runs the same driver Glue would, through ``spark-submit`` on a
``local[...]`` master: ``awsglue`` is absent here, so the driver uses a plain
SparkSession. Test suites pair it with an emulated Glue API to execute the runs that
the ``aws_glue`` executor starts; users can replay a failed run's arguments locally.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping

from redun_spark.glue.job_definition import DRIVER


def run_job_run(
    job_name: str,
    arguments: Mapping[str, str],
    master: str = "local[2]",
    conf: Mapping[str, str] | None = None,
    spark_submit: str | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
) -> tuple[int, str]:
    """Run the driver for one job run; return (exit code, combined output)."""
    from redun_spark.submit import find_spark_submit

    command = [find_spark_submit(spark_submit, "the local Glue runner"), "--master", master]
    for key, value in sorted((conf or {}).items()):
        command += ["--conf", f"{key}={value}"]
    command += [DRIVER, "--JOB_NAME", job_name]
    for key, value in arguments.items():
        command += [key if key.startswith("--") else f"--{key}", value]
    run_env = dict(os.environ, **(env or {}))
    run_env.setdefault("PYSPARK_PYTHON", sys.executable)
    run_env.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    with tempfile.TemporaryDirectory(prefix="redun-glue-run-") as work:
        result = subprocess.run(
            command,
            cwd=work,
            env=run_env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    return result.returncode, result.stdout + result.stderr
