"""Entry point of redun-aws: what the package adds to redun, through core's hooks only.

Each hook imports its classes inside its body, so discovering the plugin (``redun
plugins``, an unknown scheme lookup) costs nothing and never imports boto3.
"""

from __future__ import annotations

from typing import Any

from redun.plugins import hookimpl


@hookimpl
def redun_filesystems() -> list[type[Any]]:
    from redun_aws.s3.filesystem import S3FileSystem

    return [S3FileSystem]


@hookimpl
def redun_executors() -> list[type[Any]]:
    from redun_aws.batch.executor import AWSBatchExecutor

    return [AWSBatchExecutor]


@hookimpl
def redun_cli_commands() -> list[Any]:
    from redun_aws.batch.cli import make_aws_group

    return [make_aws_group()]
