"""S3 (and S3-compatible servers) as a redun file system: ``s3://bucket/key`` URLs.

Also the home of upstream's ``redun.file.S3FileSystem`` name, which core resolves here.
Importing this package does not import boto3; the first request does.
"""

from __future__ import annotations

from redun_aws.s3.filesystem import S3FileSystem

__all__ = ["S3FileSystem"]
