"""Immutable (I*) and content-hashed (Content*) file families."""

from __future__ import annotations

import pytest
from redun.file import (
    ContentDir,
    ContentFile,
    ContentFileSet,
    ContentStagingDir,
    ContentStagingFile,
    File,
    IDir,
    IFile,
    IFileSet,
    IStagingDir,
    IStagingFile,
    RedunFileNotFoundError,
)


def test_immutable_files_hash_by_path_and_stay_valid(workdir, make_file) -> None:
    make_file("data.txt", "v1", 1_000_000_000)
    file = IFile("data.txt")
    recorded = file.hash
    make_file("data.txt", "v2 changed", 2_000_000_000)
    assert file.is_valid()
    assert IFile("data.txt").hash == recorded
    assert IFile("other.txt").hash != recorded
    assert IFileSet("*.txt").is_valid()


def test_content_file_hash_follows_bytes_not_mtime(workdir, make_file) -> None:
    make_file("data.txt", "same", 1_000_000_000)
    recorded = ContentFile("data.txt").hash
    stat_hash = File("data.txt").hash
    make_file("data.txt", "same", 2_000_000_000)
    assert ContentFile("data.txt").hash == recorded
    assert File("data.txt").hash != stat_hash  # a plain File follows the mtime
    make_file("data.txt", "different", 2_000_000_000)
    assert ContentFile("data.txt").hash != recorded


def test_content_file_rehash_on_write_uses_content(workdir) -> None:
    file = ContentFile("data.txt")
    file.write("abc")
    assert file.hash == ContentFile("data.txt").hash
    with pytest.raises(RedunFileNotFoundError, match="missing.txt"):
        ContentFile("missing.txt").hash  # noqa: B018


def test_content_file_reads_large_files(workdir) -> None:
    big = ContentFile("big.bin")
    big.write(b"x" * (3 * 1024 * 1024 + 7), mode="wb")
    other = ContentFile("big.bin")
    assert other.hash == big.hash
    other.write(b"x" * (3 * 1024 * 1024 + 8), mode="wb")
    assert other.hash != big.hash


def test_families_build_their_own_relatives(workdir, make_file) -> None:
    make_file("dir/a.txt", "a")
    assert [type(f) for f in IDir("dir")] == [IFile]
    assert [type(f) for f in ContentDir("dir")] == [ContentFile]
    assert [type(f) for f in ContentFileSet("dir/*")] == [ContentFile]
    assert type(IFile("dir/a.txt").stage()) is IStagingFile
    assert type(IFile("dir/a.txt").stage().local) is IFile
    assert type(IDir("dir").stage()) is IStagingDir
    assert type(ContentFile("dir/a.txt").stage()) is ContentStagingFile
    assert type(ContentDir("dir").stage()) is ContentStagingDir
    assert type(ContentDir("dir").file("a.txt")) is ContentFile
