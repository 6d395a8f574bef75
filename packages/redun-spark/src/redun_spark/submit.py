"""Submit mode: each task is its own ``spark-submit`` application.

Core's remote-job lifecycle (:mod:`redun.executors.remote`) does the work every remote
executor shares: arguments pickled to ``<scratch>/jobs/<eval hash>/input``, the code
package, one monitor thread, reattaching to jobs still running after a restart, and
reading the result or the task's error back. This module supplies the service calls:
a job is a ``spark-submit`` process running :mod:`redun_spark.driver`, which starts the
SparkSession spark-submit configured and runs ``redun oneshot`` inside it.

``spark-submit`` stays in the foreground for the whole application in client mode and
(by default) in cluster mode too, so the job's state is its process's state, tracked
in files by core's :class:`~redun.executors.remote.local_service.LocalProcessService`.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from redun.executors.remote.local_service import LocalProcessService
from redun.executors.remote.service import FAILED, RemoteStatus

from redun_spark.errors import SparkSetupError

if TYPE_CHECKING:
    from redun.executors.remote.jobs import RemoteJob

    from redun_spark.settings import SparkSettings

DRIVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "driver.py")
# A line of the driver log that says why the application failed.
_ERROR_LINE = re.compile(r"(Exception|Error)\b.*:|^Error:|error:", re.IGNORECASE)


def find_spark_submit(configured: str | None, where: str) -> str:
    """The spark-submit to run: ``spark_submit`` from the section, else the one on PATH,
    else the one inside the installed pyspark."""
    if configured:
        path = shutil.which(configured) or (configured if os.access(configured, os.X_OK) else None)
        if path is None:
            raise SparkSetupError(
                f"spark_submit = {configured} in {where} is not an executable: "
                "point it at Spark's bin/spark-submit"
            )
        return path
    found = shutil.which("spark-submit")
    if found:
        return found
    spec = importlib.util.find_spec("pyspark")
    if spec is not None and spec.origin:
        bundled = os.path.join(os.path.dirname(spec.origin), "bin", "spark-submit")
        if os.access(bundled, os.X_OK):
            return bundled
    raise SparkSetupError(
        f"spark-submit not found for {where}: pip install pyspark, put Spark's bin/ on "
        "PATH, or set spark_submit = /path/to/spark-submit"
    )


class SparkSubmitService(LocalProcessService):
    """Spark applications as local ``spark-submit`` processes; ids are process ids of
    core's local service, so a later scheduler reattaches to applications still running.
    """

    service_name: ClassVar[str] = "Spark"
    supports_arrays: ClassVar[bool] = False

    def __init__(
        self, settings: SparkSettings, spark_submit: str, state_dir: str, env: dict[str, str]
    ) -> None:
        super().__init__(state_dir, env=env)
        self.settings = settings
        self.spark_submit = spark_submit

    def submit_job(self, job: RemoteJob, command: list[str]) -> str:
        return super().submit_job(job, self.spark_command(job, command))

    def spark_command(self, job: RemoteJob, oneshot: list[str]) -> list[str]:
        """``spark-submit [options] driver.py <redun's arguments>`` for one job."""
        settings = self.settings
        command = [self.spark_submit, "--master", settings.master]
        command += ["--deploy-mode", settings.deploy_mode]
        command += ["--name", f"{settings.app_name}-{job.task_name}"]
        conf = dict(settings.spark_conf)
        # Spark logs at INFO under spark-submit; its warnings are what a log tail needs.
        conf.setdefault("spark.log.level", "WARN")
        for key, value in sorted(conf.items()):
            command += ["--conf", f"{key}={value}"]
        if settings.py_files:
            command += ["--py-files", ",".join(settings.py_files)]
        if settings.packages:
            command += ["--packages", ",".join(settings.packages)]
        return [*command, DRIVER, *oneshot[1:]]

    def describe(self, remote_ids: Sequence[str]) -> dict[str, RemoteStatus]:
        statuses = super().describe(remote_ids)
        for remote_id, status in statuses.items():
            if status.state == FAILED and status.cause is None:
                statuses[remote_id] = RemoteStatus(FAILED, self._reason(remote_id, status))
        return statuses

    def _reason(self, remote_id: str, status: RemoteStatus) -> str:
        """Spark's own words: the last error line spark-submit or the driver printed."""
        code = re.search(r"code (\d+)", status.reason)
        exited = f"spark-submit exited with code {code.group(1)}" if code else status.reason
        lines = self.log_tail(remote_id, 200)
        errors = [line.strip() for line in lines if _ERROR_LINE.search(line)]
        return f"{exited}: {errors[-1]}" if errors else exited

    def detach_hint(self, remote_ids: Sequence[str]) -> str:
        return f"rerun the same command to reattach; their logs are in {self.state_dir}"


def submit_env(settings: SparkSettings) -> dict[str, str]:
    """Environment of the spark-submit processes: a local master's Python workers and
    driver run this interpreter (with redun and the user's packages)."""
    env: dict[str, str] = {}
    if settings.is_local:
        env["PYSPARK_PYTHON"] = os.environ.get("PYSPARK_PYTHON", sys.executable)
        env["PYSPARK_DRIVER_PYTHON"] = os.environ.get("PYSPARK_DRIVER_PYTHON", sys.executable)
    return env
