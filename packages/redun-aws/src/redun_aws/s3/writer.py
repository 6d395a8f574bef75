"""Writing an S3 object as a stream: small objects in one PUT, large ones in parts.

Bytes are buffered up to one part (8 MiB by default); once a stream outgrows it, a
multipart upload starts and each full part is sent while the caller keeps writing, so
memory stays at one part whatever the object's size. Nothing is visible in S3 until
``close()``; a failed upload is aborted rather than left behind as hidden parts.
"""

from __future__ import annotations

import io
from typing import Any

from redun_aws.s3.errors import s3_errors

# S3's smallest allowed part (except the last) is 5 MiB.
PART_SIZE = 8 * 1024 * 1024


class S3RawWriter(io.RawIOBase):
    """Unbuffered writer of one object; :func:`open_writer` adds buffering."""

    def __init__(
        self, client: Any, bucket: str, key: str, url: str, part_size: int = PART_SIZE
    ) -> None:
        super().__init__()
        self._client = client
        self._bucket = bucket
        self._key = key
        self._url = url
        self._part_size = part_size
        self._buffer = bytearray()
        self._upload_id: str | None = None
        self._parts: list[dict[str, Any]] = []
        self._written = 0
        # After a failed request the object is abandoned: close() must not publish
        # a partial object.
        self._failed = False

    def writable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._written

    def write(self, data: Any) -> int:
        if self.closed:
            raise ValueError(f"write to closed S3 stream: {self._url}")
        view = memoryview(data).cast("B")
        if self._failed:
            # Already reported; the buffered rest is dropped so that closing (as a
            # ``with`` block does) does not hide the original error behind a new one.
            return len(view)
        self._buffer += view
        self._written += len(view)
        while len(self._buffer) >= self._part_size:
            part = bytes(self._buffer[: self._part_size])
            del self._buffer[: self._part_size]
            self._upload_part(part)
        return len(view)

    def close(self) -> None:
        if self.closed:
            return
        if self._failed:
            self._buffer = bytearray()
            super().close()
            return
        try:
            if self._upload_id is None:
                with s3_errors(self._url):
                    self._client.put_object(
                        Bucket=self._bucket, Key=self._key, Body=bytes(self._buffer)
                    )
            else:
                if self._buffer or not self._parts:
                    self._upload_part(bytes(self._buffer))
                with s3_errors(self._url):
                    self._client.complete_multipart_upload(
                        Bucket=self._bucket,
                        Key=self._key,
                        UploadId=self._upload_id,
                        MultipartUpload={"Parts": self._parts},
                    )
        except BaseException:
            self._abort()
            raise
        finally:
            self._buffer = bytearray()
            super().close()

    def _upload_part(self, data: bytes) -> None:
        try:
            with s3_errors(self._url):
                if self._upload_id is None:
                    response = self._client.create_multipart_upload(
                        Bucket=self._bucket, Key=self._key
                    )
                    self._upload_id = response["UploadId"]
                number = len(self._parts) + 1
                response = self._client.upload_part(
                    Bucket=self._bucket,
                    Key=self._key,
                    UploadId=self._upload_id,
                    PartNumber=number,
                    Body=data,
                )
        except BaseException:
            self._abort()
            raise
        self._parts.append({"PartNumber": number, "ETag": response["ETag"]})

    def _abort(self) -> None:
        self._failed = True
        upload_id, self._upload_id = self._upload_id, None
        if upload_id is None:
            return
        try:
            self._client.abort_multipart_upload(
                Bucket=self._bucket, Key=self._key, UploadId=upload_id
            )
        except Exception:  # the original error matters more than a failed cleanup
            pass


def open_writer(
    client: Any, bucket: str, key: str, url: str, initial: bytes = b""
) -> io.BufferedWriter:
    """A buffered binary stream that becomes ``s3://bucket/key`` when closed.

    ``initial`` is written first (append mode passes the object's current bytes).
    """
    stream = io.BufferedWriter(S3RawWriter(client, bucket, key, url))
    if initial:
        stream.write(initial)
    return stream
