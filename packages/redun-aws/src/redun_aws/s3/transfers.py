"""Whole-object copies: S3 to S3 on the server, uploads and downloads in parallel parts.

boto3's managed transfers split large objects into concurrent multipart requests
(above 8 MiB) and copy within S3 without the bytes passing through this machine. Their
failures arrive wrapped (``S3UploadFailedError``) or as the raw error of whichever
request failed; :func:`_raise_translated` finds the S3 error underneath and names the
object it was about.
"""

from __future__ import annotations

import os
from typing import NoReturn

from redun.file.errors import RedunFileNotFoundError

from redun_aws.s3.clients import get_client
from redun_aws.s3.errors import missing_object_error, translate
from redun_aws.s3.urls import split_url

# Requests that read the source of a copy; any other failing request was about the
# destination.
_SOURCE_OPERATIONS = {"HeadObject", "GetObject"}


def download(src_url: str, dest_path: str) -> None:
    """Copy ``src_url`` to the local file ``dest_path``, creating its directory."""
    bucket, key = split_url(src_url)
    dest = dest_path.split("://", 1)[1] if "://" in dest_path else dest_path
    dirname = os.path.dirname(dest)
    if dirname:
        os.makedirs(dirname, exist_ok=True)
    try:
        get_client().download_file(bucket, key, dest)
    except Exception as error:
        _raise_translated(error, src_url, src_url)


def upload(src_path: str, dest_url: str) -> None:
    """Copy the local file ``src_path`` to ``dest_url``."""
    bucket, key = split_url(dest_url)
    src = src_path.split("://", 1)[1] if "://" in src_path else src_path
    if not os.path.exists(src):
        raise RedunFileNotFoundError(src_path, 2, "No such file or directory")
    try:
        get_client().upload_file(src, bucket, key)
    except Exception as error:
        _raise_translated(error, dest_url, dest_url)


def s3_copy(src_url: str, dest_url: str) -> None:
    """Copy between two S3 URLs on the server side (multipart for large objects)."""
    src_bucket, src_key = split_url(src_url)
    bucket, key = split_url(dest_url)
    try:
        get_client().copy({"Bucket": src_bucket, "Key": src_key}, bucket, key)
    except Exception as error:
        _raise_translated(error, src_url, dest_url)


def _raise_translated(error: Exception, src_url: str, dest_url: str) -> NoReturn:
    from botocore.exceptions import BotoCoreError, ClientError

    cause: BaseException | None = error
    while cause is not None and not isinstance(cause, (ClientError, BotoCoreError)):
        cause = cause.__cause__ or cause.__context__
    if cause is None:
        raise error
    operation = getattr(cause, "operation_name", "")
    url = src_url if operation in _SOURCE_OPERATIONS else dest_url
    translated = translate(cause, url)
    if operation == "HeadObject" and type(translated) is RedunFileNotFoundError:
        translated = missing_object_error(url)
    raise translated from error
