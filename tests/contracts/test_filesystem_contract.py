"""What every file system does the same way, run against local disk and S3 (SeaweedFS).

A workflow moved from local paths to ``s3://`` must behave the same: values round-trip,
hashes follow changes and only changes, directories list what is below them (and
nothing beside them), copies work within and across file systems.
"""

from __future__ import annotations

import pytest
from redun import Dir, File
from redun.file import copy_file, get_filesystem, glob_file
from redun.hashing import hash_struct


def test_text_and_bytes_round_trip(fs_root: str) -> None:
    file = File(f"{fs_root}/a/b/c.txt")
    assert not file.exists()

    file.write("line 1\nline 2\n")

    assert file.exists() and file.isfile() and not file.isdir()
    assert file.read() == "line 1\nline 2\n"
    assert file.read("rb") == b"line 1\nline 2\n"
    assert file.size() == 14
    with file.open("wb") as out:
        out.write(bytes(range(256)))
    assert file.read("rb") == bytes(range(256))


def test_hash_follows_content_changes_only(fs_root: str) -> None:
    file = File(f"{fs_root}/data.txt")
    missing = file.hash
    file.write("one")
    written = File(file.path).hash

    assert written != missing
    assert File(file.path).hash == written, "re-hashing an unchanged file is stable"
    assert file.is_valid()

    File(file.path).write("two, longer")
    assert not file.is_valid()
    assert File(file.path).hash not in (missing, written)
    File(file.path).remove()
    assert File(file.path).hash == missing, "a missing file hashes the same each time"


def test_dir_lists_below_itself_only(fs_root: str) -> None:
    for name in ("d/a.txt", "d/sub/b.txt", "d/sub/deep/c.txt", "d2/x.txt", "d.txt"):
        File(f"{fs_root}/{name}").write(name)

    folder = Dir(f"{fs_root}/d")

    assert [folder.rel_path(f.path) for f in folder] == ["a.txt", "sub/b.txt", "sub/deep/c.txt"]
    assert folder.exists() and get_filesystem(url=folder.path).isdir(folder.path)
    assert not get_filesystem(url=folder.path).isdir(f"{fs_root}/d.txt")
    assert folder.hash == hash_struct(["Dir", folder.path] + sorted(f.hash for f in folder))
    assert Dir(f"{fs_root}/d/").hash == folder.hash


def test_dir_hash_follows_its_files(fs_root: str) -> None:
    File(f"{fs_root}/d/a.txt").write("a")
    before = Dir(f"{fs_root}/d")
    before_hash = before.hash
    assert Dir(f"{fs_root}/d").hash == before_hash

    File(f"{fs_root}/d/new.txt").write("new")
    assert Dir(f"{fs_root}/d").hash != before_hash
    assert not before.is_valid()

    File(f"{fs_root}/beside.txt").write("not in d")
    File(f"{fs_root}/d/new.txt").remove()
    assert Dir(f"{fs_root}/d").hash == before_hash


def test_glob(fs_root: str) -> None:
    for name in ("g/a.txt", "g/b.csv", "g/s/c.txt"):
        File(f"{fs_root}/{name}").write(name)

    assert sorted(glob_file(f"{fs_root}/g/*.txt")) == [f"{fs_root}/g/a.txt"]
    assert sorted(p for p in glob_file(f"{fs_root}/g/**/*.txt")) == [
        f"{fs_root}/g/a.txt",
        f"{fs_root}/g/s/c.txt",
    ]
    assert glob_file(f"{fs_root}/g/nothing*") == []


@pytest.mark.parametrize("other", ["local", "same"])
def test_copies_within_and_across(fs_root: str, tmp_path, other: str) -> None:
    target = str(tmp_path / "other") if other == "local" else f"{fs_root}/other"
    source = File(f"{fs_root}/src/file.bin")
    source.write(b"\x00payload\xff", mode="wb")

    copied = source.copy_to(File(f"{target}/copied.bin"))
    assert copied.read("rb") == b"\x00payload\xff"
    assert copied.is_valid()

    back = copied.copy_to(File(f"{fs_root}/back.bin"))
    assert back.read("rb") == b"\x00payload\xff"

    File(f"{fs_root}/tree/a").write("a")
    File(f"{fs_root}/tree/b/c").write("c")
    copy_file(f"{fs_root}/tree", f"{target}/tree", recursive=True)
    assert [Dir(f"{target}/tree").rel_path(f.path) for f in Dir(f"{target}/tree")] == ["a", "b/c"]


def test_remove_mkdir_rmdir(fs_root: str) -> None:
    file = File(f"{fs_root}/gone.txt")
    file.write("x")
    file.remove()
    assert not file.exists()
    file.remove()

    empty = Dir(f"{fs_root}/empty")
    empty.mkdir()
    assert empty.exists() and list(empty) == []
    empty.rmdir()
    assert not empty.exists()

    File(f"{fs_root}/full/a/b").write("b")
    full = Dir(f"{fs_root}/full")
    with pytest.raises(OSError):
        full.rmdir()
    full.rmdir(recursive=True)
    assert not full.exists()


def test_missing_file_errors_name_the_path(fs_root: str) -> None:
    missing = File(f"{fs_root}/missing.txt")
    with pytest.raises(FileNotFoundError, match="missing.txt"):
        missing.read()
    with pytest.raises(FileNotFoundError, match="missing.txt"):
        missing.size()
    with pytest.raises(FileNotFoundError, match="missing.txt"):
        missing.copy_to(File(f"{fs_root}/copy.txt"))
