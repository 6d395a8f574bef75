"""The script an AWS Glue job runs for one redun job (``type = aws_glue``).

Glue starts it with ``--JOB_NAME`` and the job run's arguments; ``--redun-argv`` holds
the ``redun oneshot`` arguments as JSON. Inside Glue it initializes a GlueContext and
a Glue job (so bookmarks and metrics work); where ``awsglue`` is absent (the local
runner, :mod:`redun_spark.glue.local`) it falls back to a plain SparkSession, so the
same script runs on a laptop. Either way the session is the task's
(``redun.glue.get_spark_session()``), and the exit status is the job run's.
"""

from __future__ import annotations

import json
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [entry for entry in sys.path if os.path.abspath(entry or ".") != _HERE]


def job_arguments(argv: list[str]) -> dict[str, str]:
    """``--key value`` pairs of a Glue job run's command line."""
    found: dict[str, str] = {}
    index = 0
    while index < len(argv):
        key = argv[index]
        if key.startswith("--") and index + 1 < len(argv):
            found[key[2:]] = argv[index + 1]
            index += 2
        else:
            index += 1
    return found


def start_spark(job_name: str, argv: list[str]) -> tuple:
    """(SparkSession, Glue job or None): Glue's when awsglue exists, else plain Spark."""
    from pyspark.context import SparkContext
    from pyspark.sql import SparkSession

    try:
        from awsglue.context import GlueContext
        from awsglue.job import Job
    except ImportError:
        return SparkSession.builder.getOrCreate(), None
    glue_context = GlueContext(SparkContext.getOrCreate())
    job = Job(glue_context)
    job.init(job_name, job_arguments(argv))
    return glue_context.spark_session, job


def main(argv: list[str]) -> None:
    arguments = job_arguments(argv)
    redun_argv = json.loads(arguments["redun-argv"])
    session, glue_job = start_spark(arguments.get("JOB_NAME", "redun"), argv)

    from redun_spark.pickling import make_spark_errors_picklable
    from redun_spark.session import task_session

    make_spark_errors_picklable()
    with task_session(session):
        from redun.cli.main import main as redun_main

        try:
            redun_main(redun_argv)
        except SystemExit as exit:
            if exit.code not in (0, None):
                raise
    if glue_job is not None:
        glue_job.commit()


if __name__ == "__main__":
    main(sys.argv[1:])
