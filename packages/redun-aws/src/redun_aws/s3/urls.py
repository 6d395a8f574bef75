"""Splitting ``s3://bucket/key`` URLs, the only parsing S3 paths need."""

from __future__ import annotations

from redun.errors import FileSystemError

SCHEME = "s3://"


def split_url(url: str) -> tuple[str, str]:
    """``(bucket, key)`` of an ``s3://`` URL; the key is ``""`` for the bucket itself.

    Raises
    ------
    FileSystemError
        The URL is not ``s3://`` or names no bucket.
    """
    if not url.startswith(SCHEME):
        raise FileSystemError(f"not an S3 URL (expected s3://bucket/key): {url}")
    bucket, _, key = url[len(SCHEME) :].partition("/")
    if not bucket:
        raise FileSystemError(f"S3 URL names no bucket: {url}")
    return bucket, key


def make_url(bucket: str, key: str) -> str:
    """The ``s3://`` URL of an object (upstream's spelling, which file hashes include)."""
    return f"{SCHEME}{bucket}/{key}"


def dir_prefix(key: str) -> str:
    """The listing prefix of the directory ``key``: everything strictly below it."""
    key = key.rstrip("/")
    return f"{key}/" if key else ""
