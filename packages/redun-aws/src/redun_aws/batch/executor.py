"""``AWSBatchExecutor`` (``type = aws_batch``): redun jobs as AWS Batch jobs.

Required keys: ``image``, ``queue``, ``s3_scratch``. Optional: ``aws_region`` and the
batch settings of :mod:`redun_aws.batch.options` (each also a task option), core's
remote keys (``job_monitor_interval``, ``job_stale_time``, ``min_array_size``,
``max_array_size``, ``code_package``/``code_includes``/``code_excludes``,
``preemption_retries``, ``on_interrupt``) and ``debug`` (run each job's exact command
as a local process instead of on Batch; its state goes under ``debug_scratch``).

Everything but the AWS calls (queueing, arrays, polling, reattaching, preemption,
interrupts, reading results) is core's lifecycle: :mod:`redun.executors.remote`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from redun.errors import ConfigError
from redun.executors.remote import JobService, RemoteExecutor

from redun_aws.batch.options import parse_section

if TYPE_CHECKING:
    from redun.scheduler import Scheduler

MAX_ARRAY_SIZE = 10_000  # AWS Batch's own limit


class AWSBatchExecutor(RemoteExecutor):
    """Run jobs on AWS Batch through ``redun oneshot``, with scratch on S3."""

    executor_type: ClassVar[str] = "aws_batch"
    scratch_key: ClassVar[str] = "s3_scratch"

    def __init__(
        self,
        name: str,
        scheduler: Scheduler | None = None,
        config: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(name, scheduler=scheduler, config=config)
        self.debug = self.config_bool("debug", False)

    @property
    def settings(self) -> dict[str, Any]:
        """The section's batch settings (``image`` and ``queue`` required)."""
        settings = parse_section(self.config, self.section_name)
        settings["image"] = self.require("image")
        settings["queue"] = self.require("queue")
        return settings

    # Upstream's executor attributes, read from the section.
    @property
    def image(self) -> str | None:
        return self.config.get("image") or None

    @property
    def queue(self) -> str | None:
        return self.config.get("queue") or None

    @property
    def aws_region(self) -> str | None:
        return self.config.get("aws_region") or None

    def lifecycle_settings(self) -> Any:
        settings = super().lifecycle_settings()
        if settings.max_array_size > MAX_ARRAY_SIZE:
            settings.max_array_size = MAX_ARRAY_SIZE
        return settings

    def make_service(self) -> JobService:
        settings = self.settings
        scratch = self.scratch_root()
        if not scratch.startswith("s3://") and not self.debug:
            raise ConfigError(
                f"[{self.section_name}] s3_scratch = {scratch!r} must be an s3:// URL"
            )
        if self.debug:
            from redun.executors.remote.local_service import LocalProcessService

            state = self.config.get("debug_scratch") or os.path.join(
                tempfile.gettempdir(), "redun-batch-debug"
            )
            return LocalProcessService(str(state))
        from redun_aws.batch.service import BatchService

        return BatchService(settings, scratch, region=self.aws_region)

    def batch_service(self) -> Any:
        """A BatchService for this section, outside any run (``redun aws`` commands)."""
        from redun_aws.batch.service import BatchService

        return BatchService(self.settings, self.scratch_root(), region=self.aws_region)
