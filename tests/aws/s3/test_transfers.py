"""Large objects: multipart streams, parallel uploads and downloads, server-side copies."""

from __future__ import annotations

import os

import pytest
from redun import File
from redun.file import copy_file
from redun_aws.s3.clients import reset_clients
from servers.seaweedfs import READABLE_BUCKET, READER

SIZE = 20 * 1024 * 1024 + 12345  # three 8 MiB parts, the last one short


@pytest.fixture(scope="module")
def big_bytes() -> bytes:
    return os.urandom(SIZE)


def test_a_large_write_streams_in_parts(s3_bucket, seaweedfs, big_bytes, s3_requests) -> None:
    file = File(f"s3://{s3_bucket}/big.bin")
    with file.open("wb") as out:
        for start in range(0, SIZE, 1024 * 1024):
            out.write(big_bytes[start : start + 1024 * 1024])

    assert s3_requests["UploadPart"] == 3 and s3_requests["CompleteMultipartUpload"] == 1
    assert s3_requests["PutObject"] == 0
    etag = seaweedfs.client().head_object(Bucket=s3_bucket, Key="big.bin")["ETag"]
    assert etag.endswith('-3"'), "S3 records a multipart object as such"
    assert file.read("rb") == big_bytes
    assert file.size() == SIZE


def test_a_denied_large_write_fails_cleanly(s3_env, seaweedfs, big_bytes, monkeypatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", READER[0])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", READER[1])
    reset_clients()
    with pytest.raises(PermissionError, match=f"to bucket '{READABLE_BUCKET}'"):  # noqa: SIM117
        with File(f"s3://{READABLE_BUCKET}/denied.bin").open("wb") as stream:
            stream.write(big_bytes)  # the first full part starts the upload, and is refused

    uploads = seaweedfs.client().list_multipart_uploads(Bucket=READABLE_BUCKET)
    assert all(u["Key"] != "denied.bin" for u in uploads.get("Uploads", []))
    assert "Contents" not in seaweedfs.client().list_objects_v2(
        Bucket=READABLE_BUCKET, Prefix="denied.bin"
    )


def test_upload_download_and_server_side_copy(s3_bucket, tmp_path, big_bytes, s3_requests) -> None:
    local = tmp_path / "big.bin"
    local.write_bytes(big_bytes)

    remote = File(str(local)).copy_to(File(f"s3://{s3_bucket}/up/big.bin"))
    assert s3_requests["UploadPart"] >= 2, "large uploads go in parts"
    assert remote.size() == SIZE

    s3_requests.clear()
    copy = remote.copy_to(File(f"s3://{s3_bucket}/copy/big.bin"))
    assert (
        s3_requests["GetObject"] == 0
        and s3_requests["PutObject"] == 0
        and s3_requests["UploadPart"] == 0
    )
    assert s3_requests["CopyObject"] + s3_requests["UploadPartCopy"] >= 1, "the bytes stay in S3"

    copy_file(copy.path, str(tmp_path / "down" / "big.bin"))
    assert (tmp_path / "down" / "big.bin").read_bytes() == big_bytes
