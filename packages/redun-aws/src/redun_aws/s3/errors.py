"""botocore's exceptions turned into redun's one-line file errors naming bucket and key.

A boto3 error is a multi-line trace with an operation name; a user needs to know which
object failed and why (missing bucket, missing key, access denied, no credentials), so
every S3 call runs inside :func:`s3_errors`. Not-found and access errors keep the
builtin ``FileNotFoundError`` / ``PermissionError`` kinds that Python code catches.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager

from redun.errors import FileSystemError
from redun.file.errors import RedunFileNotFoundError, RedunOSError, RedunPermissionError

from redun_aws.s3.urls import split_url

_DENIED = {
    "AccessDenied",
    "AllAccessDisabled",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "403",
    "Forbidden",
}
_MISSING = {"NoSuchKey", "NotFound", "404", "NoSuchUpload"}


class S3Error(RedunOSError):
    """An S3 request failed for a reason other than a missing object or access."""

    __module__ = "redun_aws.s3"


class S3CredentialsError(FileSystemError):
    """No AWS credentials were found in boto3's standard chain."""

    __module__ = "redun_aws.s3"


class S3BucketNotFoundError(RedunFileNotFoundError):
    """The bucket of an ``s3://`` URL does not exist."""

    __module__ = "redun_aws.s3"


def error_code(error: Exception) -> str:
    """The S3 error code of a botocore ``ClientError`` (``"404"`` for a bare HEAD)."""
    response = getattr(error, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


def translate(error: Exception, url: str) -> Exception:
    """The redun error for ``error``, raised by a request about ``url``."""
    from botocore.exceptions import (
        ClientError,
        EndpointConnectionError,
        NoCredentialsError,
        PartialCredentialsError,
    )

    bucket = _bucket_of(url)
    if isinstance(error, (NoCredentialsError, PartialCredentialsError)):
        return S3CredentialsError(
            f"no AWS credentials found to access bucket '{bucket}' ({url}): set "
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or another "
            "source boto3 reads"
        )
    if isinstance(error, EndpointConnectionError):
        return S3Error(url, errno.EHOSTUNREACH, f"cannot reach the S3 endpoint ({error})")
    if not isinstance(error, ClientError):
        return S3Error(url, errno.EIO, f"S3 request failed: {type(error).__name__}: {error}")
    code = error_code(error)
    if code == "NoSuchBucket":
        return S3BucketNotFoundError(url, errno.ENOENT, f"S3 bucket '{bucket}' does not exist")
    if code in _MISSING:
        return RedunFileNotFoundError(url, errno.ENOENT, "No such S3 object")
    if code in _DENIED:
        return RedunPermissionError(
            url, errno.EACCES, f"S3 denied access ({code}) to bucket '{bucket}'"
        )
    message = str(error.response.get("Error", {}).get("Message") or "").splitlines()
    detail = f"{code}: {message[0]}" if message else code
    return S3Error(url, errno.EIO, f"S3 request failed ({detail})")


def missing_object_error(url: str) -> RedunFileNotFoundError:
    """The error for an object a HEAD found missing: its bucket's absence, if that is why.

    A HEAD response has no body, so S3 cannot say whether the key or the whole bucket
    is missing; one more request (made only on this error path) tells them apart.
    """
    from botocore.exceptions import ClientError

    from redun_aws.s3.clients import get_client

    bucket = _bucket_of(url)
    try:
        get_client().head_bucket(Bucket=bucket)
    except ClientError as error:
        if error_code(error) in ("404", "NoSuchBucket", "NotFound"):
            return S3BucketNotFoundError(url, errno.ENOENT, f"S3 bucket '{bucket}' does not exist")
    except Exception:  # the object is missing either way
        pass
    return RedunFileNotFoundError(url, errno.ENOENT, "No such S3 object")


@contextmanager
def s3_errors(url: str) -> Iterator[None]:
    """Re-raise botocore errors from the block as redun errors naming ``url``."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except (BotoCoreError, ClientError) as error:
        raise translate(error, url) from error


def _bucket_of(url: str) -> str:
    try:
        return split_url(url)[0]
    except FileSystemError:
        return url
