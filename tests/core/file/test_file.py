"""File: reading, writing, hashing and validity as a task author sees them."""

from __future__ import annotations

import os
import pickle

import pytest
from redun.errors import FileSystemError
from redun.file import File, RedunFileNotFoundError


def test_write_then_read_round_trips_text_and_bytes(workdir) -> None:
    file = File("out/nested/data.txt")  # parent directories are created on write
    file.write("line1\nline2\n")
    assert file.exists() and file.isfile() and not file.isdir()
    assert file.read() == "line1\nline2\n"
    assert file.readlines() == ["line1\n", "line2\n"]
    file.write(b"\x00\x01", mode="wb")
    assert file.read("rb") == b"\x00\x01"
    assert file.size() == 2


def test_encoding_is_applied_to_reads_and_writes(workdir) -> None:
    file = File("latin.txt")
    file.write("café", encoding="latin-1")
    assert file.read("rb") == "café".encode("latin-1")
    assert file.read(encoding="latin-1") == "café"
    with pytest.raises(ValueError, match="binary mode"):
        file.open("rb", encoding="utf-8")


def test_closing_a_write_stream_rehashes_the_file(workdir) -> None:
    file = File("data.txt")
    file.write("one")
    first = file.hash
    with file.open("a") as out:
        out.write(" two")
    assert file.hash != first
    assert file.hash == File("data.txt").hash
    assert file.is_valid()


def test_reading_does_not_change_the_recorded_hash(workdir, make_file) -> None:
    make_file("data.txt", "one", mtime_ns=1_000_000_000)
    file = File("data.txt")
    recorded = file.hash
    make_file("data.txt", "two")
    assert file.read() == "two"
    assert file.hash == recorded
    assert not file.is_valid()


def test_is_valid_detects_modification_and_deletion(workdir, make_file) -> None:
    make_file("data.txt", "v1", mtime_ns=1_000_000_000)
    file = File("data.txt")
    assert file.is_valid()
    restored = pickle.loads(pickle.dumps(file))
    assert restored.is_valid()

    make_file("data.txt", "v2", mtime_ns=2_000_000_000)
    assert not restored.is_valid()

    os.remove("data.txt")
    deleted = File("data.txt")
    assert not deleted.exists()
    assert deleted.is_valid()  # a fresh value records the missing state
    assert not pickle.loads(pickle.dumps(file)).is_valid()


def test_update_hash_accepts_the_current_version(workdir, make_file) -> None:
    make_file("data.txt", "v1", mtime_ns=1_000_000_000)
    file = File("data.txt")
    file.hash  # noqa: B018 (records the hash)
    make_file("data.txt", "v2", mtime_ns=2_000_000_000)
    assert not file.is_valid()
    file.update_hash()
    assert file.is_valid()


def test_touch_creates_and_sets_times(workdir) -> None:
    file = File("sub/touched")
    file.touch()
    assert file.exists() and file.size() == 0
    file.touch((5, 7))
    assert os.stat("sub/touched").st_mtime == 7
    assert file.is_valid()


def test_remove_is_quiet_for_missing_files(workdir, make_file) -> None:
    make_file("gone.txt", "x")
    file = File("gone.txt")
    file.remove()
    assert not file.exists()
    file.remove()


def test_path_parts(workdir) -> None:
    file = File("dir/sub/name.tar.gz")
    assert file.basename() == "name.tar.gz"
    assert file.dirname() == "dir/sub"
    assert File(workdir / "x").path == str(workdir / "x")


def test_repr_shows_path_and_short_hash(workdir, make_file) -> None:
    make_file("data.txt", "x")
    file = File("data.txt")
    assert repr(file) == f"File(path=data.txt, hash={file.hash[:8]})"


def test_copy_to_copies_and_returns_the_rehashed_destination(workdir, make_file) -> None:
    make_file("src.txt", "payload")
    dest = File("out/dest.txt")
    stale = dest.hash
    result = File("src.txt").copy_to(dest)
    assert result is dest
    assert dest.read() == "payload"
    assert dest.hash != stale and dest.is_valid()

    make_file("src.txt", "new payload")
    File("src.txt").copy_to(dest, skip_if_exists=True)
    assert dest.read() == "payload"


def test_shell_copy_to_quotes_paths() -> None:
    assert File("src.txt").shell_copy_to("dest space.txt") == "cp src.txt 'dest space.txt'"
    assert File("src.txt").shell_copy_to(None) == "cat src.txt"


def test_reading_a_missing_file_names_the_path_on_one_line(workdir) -> None:
    with pytest.raises(RedunFileNotFoundError) as info:
        File("no/such.txt").read()
    message = str(info.value)
    assert "no/such.txt" in message and "\n" not in message
    # Both plain-Python and redun-style handlers catch it.
    assert isinstance(info.value, FileNotFoundError)
    assert isinstance(info.value, FileSystemError)
    with pytest.raises(RedunFileNotFoundError, match="no/such.txt"):
        File("no/such.txt").size()
    with pytest.raises(RedunFileNotFoundError, match="no/such.txt"):
        File("no/such.txt").copy_to(File("dest.txt"))


def test_file_urls_are_local_paths(workdir, make_file) -> None:
    make_file("data.txt", "x")
    url = f"file://{workdir}/data.txt"
    file = File(url)
    assert file.exists() and file.read() == "x" and file.size() == 1
    assert file.filesystem.name == "local"
