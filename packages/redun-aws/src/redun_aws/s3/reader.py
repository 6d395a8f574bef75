"""Reading an S3 object as a seekable stream, without downloading it first.

The object's body is read as it arrives (``GetObject``); a seek drops the body and the
next read asks for a byte range from the new position, so ``f.seek(n); f.read(k)``
costs one ranged request instead of the whole object.
"""

from __future__ import annotations

import io
from typing import Any

from redun_aws.s3.errors import s3_errors

READ_BUFFER = 1024 * 1024


class S3RawReader(io.RawIOBase):
    """Unbuffered reader of one object; :func:`open_reader` adds buffering."""

    def __init__(self, client: Any, bucket: str, key: str, url: str) -> None:
        super().__init__()
        self._client = client
        self._bucket = bucket
        self._key = key
        self._url = url
        self._pos = 0
        # The first request happens now, so a missing object fails at open, as
        # a local file does.
        with s3_errors(url):
            response = client.get_object(Bucket=bucket, Key=key)
        self._size: int = response["ContentLength"]
        self._body: Any = response["Body"]

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            pos = offset
        elif whence == io.SEEK_CUR:
            pos = self._pos + offset
        elif whence == io.SEEK_END:
            pos = self._size + offset
        else:
            raise ValueError(f"invalid whence: {whence}")
        if pos < 0:
            raise OSError(f"negative seek position {pos}: {self._url}")
        if pos != self._pos:
            self._drop_body()
            self._pos = pos
        return pos

    def readinto(self, buffer: Any) -> int:
        if self._pos >= self._size:
            return 0
        if self._body is None:
            with s3_errors(self._url):
                response = self._client.get_object(
                    Bucket=self._bucket, Key=self._key, Range=f"bytes={self._pos}-"
                )
            self._body = response["Body"]
        view = memoryview(buffer).cast("B")
        with s3_errors(self._url):
            data = self._body.read(len(view))
        count = len(data)
        view[:count] = data
        self._pos += count
        return count

    def close(self) -> None:
        self._drop_body()
        super().close()

    def _drop_body(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None


def open_reader(client: Any, bucket: str, key: str, url: str) -> io.BufferedReader:
    """A buffered, seekable binary stream over ``s3://bucket/key``."""
    return io.BufferedReader(S3RawReader(client, bucket, key, url), buffer_size=READ_BUFFER)
