"""File on s3:// against a real S3 server: streams, queries and upstream's hash recipe."""

from __future__ import annotations

import io

import pytest
from redun import File
from redun.file import RedunFileNotFoundError, get_filesystem
from redun.hashing import hash_struct


def test_write_then_read_text_and_bytes(s3_bucket: str) -> None:
    file = File(f"s3://{s3_bucket}/dir/hello.txt")
    assert not file.exists()

    file.write("héllo\nworld\n")

    assert file.exists() and file.isfile() and not file.isdir()
    assert file.read() == "héllo\nworld\n"
    assert file.read("rb") == "héllo\nworld\n".encode()
    assert file.readlines() == ["héllo\n", "world\n"]
    assert file.size() == len("héllo\nworld\n".encode())
    assert type(file.filesystem).__name__ == "S3FileSystem"


def test_hash_is_upstreams_etag_recipe_and_follows_changes(s3_bucket: str, seaweedfs) -> None:
    url = f"s3://{s3_bucket}/data.csv"
    file = File(url)
    missing_hash = file.hash
    assert missing_hash == hash_struct(["File", "s3", url, ""])

    file.write("a,b\n1,2\n")
    etag = seaweedfs.client().head_object(Bucket=s3_bucket, Key="data.csv")["ETag"]
    assert etag.startswith('"'), "S3 sends the ETag quoted, and the recipe keeps the quotes"
    assert file.hash == hash_struct(["File", "s3", url, etag])
    assert file.is_valid()

    seaweedfs.client().put_object(Bucket=s3_bucket, Key="data.csv", Body=b"changed")
    assert File(url).hash != file.hash
    assert not file.is_valid()


def test_reading_streams_with_ranged_seeks(s3_bucket: str) -> None:
    data = bytes(range(256)) * 4096  # 1 MiB
    file = File(f"s3://{s3_bucket}/blob.bin")
    with file.open("wb") as out:
        for start in range(0, len(data), 100_000):
            out.write(data[start : start + 100_000])

    with file.open("rb") as stream:
        assert stream.read(10) == data[:10]
        stream.seek(500_000)
        assert stream.read(5) == data[500_000:500_005]
        stream.seek(-3, io.SEEK_END)
        assert stream.read() == data[-3:]
        assert stream.tell() == len(data)
    assert file.read("rb") == data


def test_append_and_exclusive_modes(s3_bucket: str) -> None:
    file = File(f"s3://{s3_bucket}/log.txt")
    with file.open("a") as out:
        out.write("one\n")
    with file.open("a") as out:
        out.write("two\n")
    assert file.read() == "one\ntwo\n"
    with pytest.raises(OSError, match="exists"):
        file.open("x")
    with pytest.raises(ValueError, match="update"):
        file.open("r+")


def test_an_empty_object(s3_bucket: str) -> None:
    file = File(f"s3://{s3_bucket}/empty")
    file.touch()
    assert file.exists() and file.size() == 0 and file.read() == ""


def test_missing_object(s3_bucket: str) -> None:
    file = File(f"s3://{s3_bucket}/nope.txt")
    assert not file.exists() and not file.isfile()
    with pytest.raises(RedunFileNotFoundError, match=f"s3://{s3_bucket}/nope.txt"):
        file.read()
    with pytest.raises(FileNotFoundError, match="nope.txt"):
        file.size()


def test_remove(s3_bucket: str) -> None:
    file = File(f"s3://{s3_bucket}/gone.txt")
    file.write("x")
    file.remove()
    assert not file.exists()
    file.remove()  # removing a missing object is not an error


def test_upstream_helper_names(s3_bucket: str) -> None:
    import redun.file

    fs = get_filesystem(url=f"s3://{s3_bucket}/k")
    assert isinstance(fs, redun.file.S3FileSystem)
    assert fs.get_bucket_and_key("s3://bucket/a/b.txt") == ("bucket", "a/b.txt")
    assert fs.s3_raw.head_bucket(Bucket=s3_bucket)["ResponseMetadata"]["HTTPStatusCode"] == 200
