"""botocore's exceptions from Batch and Logs calls as redun's one-line errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from redun.errors import ExecutorError


class AWSBatchError(ExecutorError):
    """An AWS Batch request failed (unknown queue, no credentials, throttled, ...)."""

    __module__ = "redun_aws.batch"


@contextmanager
def batch_errors(doing: str) -> Iterator[None]:
    """Re-raise botocore errors from the block as one line: what was being done, why."""
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        NoCredentialsError,
        PartialCredentialsError,
    )

    try:
        yield
    except (NoCredentialsError, PartialCredentialsError) as error:
        raise AWSBatchError(
            f"no AWS credentials found while {doing}: set AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or another source boto3 reads"
        ) from error
    except ClientError as error:
        info = error.response.get("Error", {})
        message = " ".join(str(info.get("Message") or "").split())
        code = info.get("Code") or "error"
        raise AWSBatchError(f"{doing} failed: {code}: {message}") from error
    except BotoCoreError as error:
        raise AWSBatchError(f"{doing} failed: {' '.join(str(error).split())}") from error
