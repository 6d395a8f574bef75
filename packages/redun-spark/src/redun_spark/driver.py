"""The program ``spark-submit`` runs for one redun job (submit mode).

It starts the SparkSession that spark-submit configured (master, conf, py-files), makes
it the task's session (``redun.glue.get_spark_session()``), then runs ``redun oneshot``
with the arguments it was given: unpack the code package, import the task's module,
read the pickled arguments, write the result or the error to scratch. Its exit status is
the job's; its output is the job's log.
"""

from __future__ import annotations

import os
import sys

# Run as a script, this file's directory (the redun_spark package) leads sys.path, where
# its modules would shadow top-level ones; the package is imported by its name instead.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [entry for entry in sys.path if os.path.abspath(entry or ".") != _HERE]


def main(argv: list[str]) -> None:
    from pyspark.sql import SparkSession

    from redun_spark.pickling import make_spark_errors_picklable
    from redun_spark.session import task_session

    make_spark_errors_picklable()
    session = SparkSession.builder.getOrCreate()
    try:
        with task_session(session):
            from redun.cli.main import main as redun_main

            redun_main(argv)
    finally:
        session.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
