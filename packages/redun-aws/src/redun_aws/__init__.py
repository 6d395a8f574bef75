"""redun-aws: ``s3://`` files for redun, and the AWS Batch executor.

Installing the package is all it takes: ``File("s3://bucket/key")`` finds the S3 file
system through the ``redun_filesystems()`` hook. Names load lazily so that discovering
the plugin does not import boto3.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "S3FileSystem": "redun_aws.s3.filesystem",
    "S3Error": "redun_aws.s3.errors",
    "AWSBatchExecutor": "redun_aws.batch.executor",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'redun_aws' has no attribute '{name}'")
    return getattr(importlib.import_module(module), name)
