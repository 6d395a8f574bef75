"""``[executors.NAME] type = aws_glue``: tasks as AWS Glue job runs (upstream's keys).

Keys: ``s3_scratch`` (required), ``role`` (the Glue service role ARN; default the
account's ``service-role/AWSGlueServiceRole``), ``aws_region``, ``glue_version`` (4.0),
``worker_type`` (G.1X), ``workers`` (10), ``timeout`` (minutes, 2880),
``glue_job_prefix`` (REDUN), ``spark_history_dir``, ``enable_metrics``,
``job_monitor_interval`` (10 s), ``job_retry_interval`` (60 s, for runs Glue refuses
for lack of capacity), ``additional_libs``, ``extra_py_files``, ``extra_files``, and
the keys every remote executor reads (``on_interrupt``, ``code_package``, ...). Task
options ``workers``, ``worker_type``, ``timeout`` and ``additional_libs`` override them
per task.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from redun.executors.remote import JobService, RemoteExecutor

from redun_spark.glue.job_definition import GlueSettings

if TYPE_CHECKING:
    from redun.scheduler import Scheduler

DEFAULT_REGION = "us-west-2"


class AWSGlueExecutor(RemoteExecutor):
    """Run tasks as AWS Glue (Spark) job runs."""

    executor_type: ClassVar[str] = "aws_glue"
    scratch_key: ClassVar[str] = "s3_scratch"
    default_poll_interval: ClassVar[float] = 10.0
    default_stale_time: ClassVar[float] = 0.0

    def __init__(
        self,
        name: str,
        scheduler: Scheduler | None = None,
        config: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(name, scheduler=scheduler, config=config)
        self.glue_settings = self._settings()

    def _settings(self) -> GlueSettings:
        config = self.config
        region = str(
            config.get("aws_region")
            or os.environ.get("AWS_REGION")
            or os.environ.get("AWS_DEFAULT_REGION")
            or DEFAULT_REGION
        )
        return GlueSettings(
            s3_scratch=self.scratch_root(),
            role=str(config.get("role") or ""),
            aws_region=region,
            glue_version=str(config.get("glue_version", "4.0")),
            worker_type=str(config.get("worker_type", "G.1X")),
            workers=self.config_int("workers", 10, minimum=1),
            timeout=self.config_int("timeout", 2880, minimum=1),
            glue_job_prefix=str(config.get("glue_job_prefix", "REDUN")),
            spark_history_dir=str(config.get("spark_history_dir", "")),
            enable_metrics=self.config_bool("enable_metrics", False),
            job_retry_interval=self.config_float("job_retry_interval", 60.0),
            max_concurrent_runs=self.config_int("max_concurrent_runs", 1000, minimum=1),
            additional_libs=tuple(shlex.split(str(config.get("additional_libs", "")))),
            extra_py_files=tuple(shlex.split(str(config.get("extra_py_files", "")))),
            extra_files=tuple(shlex.split(str(config.get("extra_files", "")))),
        )

    def make_service(self) -> JobService:
        from redun_spark.glue.service import AWSGlueService

        settings = self.glue_settings
        if not settings.role:
            settings = _with_default_role(settings)
        return AWSGlueService(settings)


def _with_default_role(settings: GlueSettings) -> GlueSettings:
    """Upstream's default: the account's ``service-role/AWSGlueServiceRole``."""
    import dataclasses

    import boto3

    account = boto3.client("sts", region_name=settings.aws_region).get_caller_identity()
    role = f"arn:aws:iam::{account['Account']}:role/service-role/AWSGlueServiceRole"
    return dataclasses.replace(settings, role=role)
