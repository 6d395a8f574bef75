"""S3FileSystem: ``s3://bucket/key`` for File, Dir, staging, ``redun fs`` and scripts.

Hashes follow upstream redun's recipe exactly, so caches recorded by upstream with S3
files hit here: a file is ``["File", "s3", url, ETag]`` (the ETag as S3 sends it, quotes
included; ``""`` for a missing object), and a directory's file hashes come from its
``ListObjectsV2`` pages, one request per 1,000 objects and never a HEAD per object.
"""

from __future__ import annotations

import errno
import io
from collections.abc import Iterator
from shlex import quote
from typing import IO, Any, ClassVar

from redun.file.errors import RedunFileNotFoundError, RedunOSError
from redun.file.filesystem import FileSystem, TouchTime
from redun.file.urls import get_proto
from redun.hashing import hash_struct

from redun_aws.s3 import globbing
from redun_aws.s3.clients import get_client
from redun_aws.s3.errors import missing_object_error, s3_errors
from redun_aws.s3.reader import open_reader
from redun_aws.s3.transfers import download, s3_copy, upload
from redun_aws.s3.urls import dir_prefix, make_url, split_url
from redun_aws.s3.writer import open_writer

# DeleteObjects takes at most 1,000 keys per request.
DELETE_BATCH = 1000


class S3FileSystem(FileSystem):
    """Amazon S3, or any S3-compatible server boto3 is pointed at.

    The endpoint, region and credentials are boto3's (``AWS_ENDPOINT_URL_S3``,
    ``AWS_REGION``, ``AWS_PROFILE``, ...); each thread uses its own client.
    """

    __module__ = "redun.file"

    name = "s3"
    schemes: ClassVar[tuple[str, ...]] = ("s3",)

    @property
    def s3_raw(self) -> Any:
        """This thread's boto3 S3 client (upstream's attribute name for it)."""
        return get_client()

    @staticmethod
    def get_bucket_and_key(path: str) -> tuple[str, str]:
        """``(bucket, key)`` of an ``s3://`` URL (upstream's helper name)."""
        return split_url(path)

    # Streams

    def _open(self, path: str, mode: str, **kwargs: Any) -> IO:
        stream = self._open_binary(path, mode)
        if "b" in mode:
            return stream
        # ``open()`` passes text modes with an encoding as binary; these have none.
        return io.TextIOWrapper(stream, encoding=kwargs.get("encoding") or "utf-8")

    def _open_binary(self, path: str, mode: str) -> IO:
        bucket, key = split_url(path)
        client = get_client()
        if "+" in mode:
            raise ValueError(f"S3 objects cannot be opened for update (mode {mode!r}): {path}")
        if "r" in mode:
            return open_reader(client, bucket, key, path)
        if "x" in mode and self.isfile(path):
            raise FileExistsError(errno.EEXIST, "S3 object exists", path)
        initial = b""
        if "a" in mode and self.isfile(path):
            with open_reader(client, bucket, key, path) as existing:
                initial = existing.read()
        return open_writer(client, bucket, key, path, initial)

    # Queries

    def _head(self, path: str) -> dict[str, Any] | None:
        """The object's HEAD response, or None when it does not exist."""
        bucket, key = split_url(path)
        if not key or key.endswith("/"):
            return None
        try:
            with s3_errors(path):
                return get_client().head_object(Bucket=bucket, Key=key)
        except RedunFileNotFoundError:
            return None

    def _has_children(self, path: str) -> bool:
        bucket, key = split_url(path)
        with s3_errors(path):
            if not key.strip("/"):
                get_client().head_bucket(Bucket=bucket)
                return True
            # No delimiter: any object below counts, and servers that keep emptied
            # "directories" (SeaweedFS) do not make a deleted tree look present.
            response = get_client().list_objects_v2(
                Bucket=bucket, Prefix=dir_prefix(key), MaxKeys=1
            )
        return response.get("KeyCount", 0) > 0

    def exists(self, path: str) -> bool:
        return self._head(path) is not None or self.isdir(path)

    def isfile(self, path: str) -> bool:
        return self._head(path) is not None

    def isdir(self, path: str) -> bool:
        try:
            return self._has_children(path)
        except RedunFileNotFoundError:
            return False

    def filesize(self, path: str) -> int:
        head = self._head(path)
        if head is None:
            raise missing_object_error(path)
        return int(head["ContentLength"])

    # Hashing

    def get_hash(self, path: str) -> str:
        """``["File", "s3", path, ETag]``; a missing object hashes with ETag ``""``."""
        head = self._head(path)
        etag = head["ETag"] if head is not None else ""
        return hash_struct(["File", "s3", path, etag])

    def iter_file_hashes(self, path: str) -> Iterator[str]:
        """Every object's hash below the directory ``path``, from listing pages only."""
        bucket, key = split_url(path)
        for obj in self._list(path, bucket, dir_prefix(key)):
            yield hash_struct(["File", "s3", make_url(bucket, obj["Key"]), obj["ETag"]])

    def _list(
        self, url: str, bucket: str, prefix: str, delimiter: str = ""
    ) -> Iterator[dict[str, Any]]:
        """Objects (and, with a delimiter, ``{"Prefix": ...}`` entries) under ``prefix``."""
        paginator = get_client().get_paginator("list_objects_v2")
        options = {"Delimiter": delimiter} if delimiter else {}
        with s3_errors(url):
            for page in paginator.paginate(Bucket=bucket, Prefix=prefix, **options):
                yield from page.get("Contents", ())
                yield from page.get("CommonPrefixes", ())

    def glob(self, pattern: str) -> list[str]:
        """URLs of objects (and implied directories) matching ``pattern``."""
        bucket, key_pattern = split_url(pattern)
        if not globbing.has_wildcard(key_pattern):
            return [pattern] if self.exists(pattern) else []
        regex = globbing.compile_pattern(key_pattern)
        prefix = globbing.literal_prefix(key_pattern)
        parent = prefix[: prefix.rfind("/") + 1]
        candidates: set[str] = set()
        for entry in self._list_matching(pattern, bucket, key_pattern):
            name = entry.get("Key") or entry["Prefix"]
            if not name.endswith("/"):
                candidates.add(name)
            candidates.update(globbing.implied_dirs(name, parent))
        return sorted(make_url(bucket, name) for name in candidates if regex.match(name))

    def iter_files(self, pattern: str) -> Iterator[tuple[str, str | None]]:
        """Objects matching ``pattern`` with their hashes, from one listing (no HEADs)."""
        bucket, key_pattern = split_url(pattern)
        if not globbing.has_wildcard(key_pattern):
            head = self._head(pattern)
            if head is not None:
                yield pattern, hash_struct(["File", "s3", pattern, head["ETag"]])
            return
        regex = globbing.compile_pattern(key_pattern)
        matches = {
            make_url(bucket, obj["Key"]): obj["ETag"]
            for obj in self._list_matching(pattern, bucket, key_pattern)
            if "Key" in obj and not obj["Key"].endswith("/") and regex.match(obj["Key"])
        }
        for url in sorted(matches):
            yield url, hash_struct(["File", "s3", url, matches[url]])

    def _list_matching(self, url: str, bucket: str, key_pattern: str) -> Iterator[dict[str, Any]]:
        """The listing that can hold ``key_pattern``'s matches: below its literal prefix,
        one level deep unless the pattern spans levels."""
        prefix = globbing.literal_prefix(key_pattern)
        deep = globbing.needs_deep_listing(key_pattern)
        return self._list(url, bucket, prefix, delimiter="" if deep else "/")

    # Changes

    def remove(self, path: str) -> None:
        bucket, key = split_url(path)
        with s3_errors(path):
            get_client().delete_object(Bucket=bucket, Key=key)

    def touch(self, path: str, time: TouchTime | None = None) -> None:
        """Create an empty object if ``path`` is missing (S3 cannot set times)."""
        if time is not None:
            raise ValueError(f"S3 cannot set an object's times: {path}")
        if not self.isfile(path):
            self.open(path, "wb").close()

    def mkdir(self, path: str) -> None:
        """Make ``path`` exist as a directory: an empty ``key/`` marker if nothing is there."""
        bucket, key = split_url(path)
        if not key.strip("/") or self.isdir(path):
            return
        with s3_errors(path):
            get_client().put_object(Bucket=bucket, Key=dir_prefix(key), Body=b"")

    def rmdir(self, path: str, recursive: bool = False) -> None:
        """Remove the objects below ``path``; without ``recursive`` only an empty marker."""
        bucket, key = split_url(path)
        prefix = dir_prefix(key)
        keys = [obj["Key"] for obj in self._list(path, bucket, prefix)]
        if not recursive and keys not in ([], [prefix]):
            raise RedunOSError(path, errno.ENOTEMPTY, "Directory not empty")
        client = get_client()
        for start in range(0, len(keys), DELETE_BATCH):
            batch = [{"Key": name} for name in keys[start : start + DELETE_BATCH]]
            with s3_errors(path):
                response = client.delete_objects(
                    Bucket=bucket, Delete={"Objects": batch, "Quiet": True}
                )
            failed = response.get("Errors") or []
            if failed:
                first = failed[0]
                raise RedunOSError(
                    make_url(bucket, first.get("Key", "")),
                    errno.EIO,
                    f"S3 could not delete {len(failed)} object(s) ({first.get('Code')})",
                )

    def copy(self, src_path: str, dest_path: str) -> None:
        """Server-side within S3; managed (multipart, parallel) upload and download."""
        src_proto, dest_proto = get_proto(src_path), get_proto(dest_path)
        if src_proto == dest_proto == "s3":
            s3_copy(src_path, dest_path)
        elif src_proto == "s3" and dest_proto in ("local", "file"):
            download(src_path, dest_path)
        elif src_proto in ("local", "file") and dest_proto == "s3":
            upload(src_path, dest_path)
        else:
            super().copy(src_path, dest_path)

    def shell_copy(
        self,
        src_path: str | None,
        dest_path: str | None,
        recursive: bool = False,
        as_mount: bool = False,
    ) -> str:
        """``aws s3 cp`` commands, exactly as upstream renders them.

        ``script()`` hashes the whole command, staging lines included, so keeping
        upstream's text keeps script caches shared with upstream. The job needs the
        ``aws`` command (AWS CLI) on its PATH, as it did with upstream.
        """
        protos = {get_proto(path) for path in (src_path, dest_path) if path}
        if "s3" not in protos or not protos <= {"local", "s3"}:
            return super().shell_copy(src_path, dest_path, recursive=recursive, as_mount=as_mount)
        flags = "--no-progress --recursive" if recursive else "--no-progress"
        if src_path and dest_path:
            return f"aws s3 cp {flags} {quote(src_path)} {quote(dest_path)}"
        if recursive:
            raise ValueError("recursive is not supported with stdin or stdout.")
        if src_path:
            return f"aws s3 cp --no-progress {quote(src_path)} -"
        if dest_path:
            return f"aws s3 cp --no-progress - {quote(dest_path)}"
        raise ValueError("At least one path must be given.")
