"""The AWS Batch executor: ``type = aws_batch`` in an ``[executors.NAME]`` section."""

from __future__ import annotations

from typing import Any

__all__ = ["AWSBatchExecutor"]


def __getattr__(name: str) -> Any:
    if name == "AWSBatchExecutor":
        from redun_aws.batch.executor import AWSBatchExecutor

        return AWSBatchExecutor
    raise AttributeError(f"module 'redun_aws.batch' has no attribute '{name}'")
