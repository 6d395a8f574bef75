"""Dir and FileSet: many files as one value whose hash follows every file."""

from __future__ import annotations

import os

import pytest
from redun.file import Dir, File, FileSet


@pytest.fixture
def tree(workdir, make_file) -> Dir:
    make_file("tree/b.txt", "b", 1_000_000_000)
    make_file("tree/a.txt", "a", 1_000_000_000)
    make_file("tree/sub/c.csv", "c", 1_000_000_000)
    return Dir("tree")


def test_iteration_yields_files_below_in_sorted_order(tree) -> None:
    assert [file.path for file in tree] == ["tree/a.txt", "tree/b.txt", "tree/sub/c.csv"]
    assert all(type(file) is File for file in tree.files())


def test_file_and_rel_path(tree) -> None:
    assert tree.file("sub/c.csv").read() == "c"
    assert tree.rel_path("tree/sub/c.csv") == "sub/c.csv"
    assert Dir("tree/").path == "tree"


def test_hash_changes_when_a_file_changes_is_added_or_removed(tree, make_file) -> None:
    seen = {tree.hash}
    make_file("tree/a.txt", "a2", 2_000_000_000)
    assert not tree.is_valid()
    seen.add(Dir("tree").hash)
    make_file("tree/sub/new.txt", "n")
    seen.add(Dir("tree").hash)
    os.remove("tree/b.txt")
    seen.add(Dir("tree").hash)
    assert len(seen) == 4


def test_mkdir_rmdir(workdir, make_file) -> None:
    directory = Dir("made/here")
    directory.mkdir()
    assert directory.exists()
    make_file("made/here/f.txt", "x")
    with pytest.raises(OSError):
        directory.rmdir()
    directory.rmdir(recursive=True)
    assert not directory.exists()


def test_copy_to_keeps_relative_layout(tree) -> None:
    dest = tree.copy_to(Dir("copy"))
    assert [file.path for file in dest] == ["copy/a.txt", "copy/b.txt", "copy/sub/c.csv"]
    assert dest.file("sub/c.csv").read() == "c"
    assert dest.is_valid()
    assert tree.shell_copy_to("copy") == "cp -r tree copy"


def test_fileset_matches_its_glob(tree, make_file) -> None:
    txt = FileSet("tree/*.txt")
    assert [file.path for file in txt] == ["tree/a.txt", "tree/b.txt"]
    assert [file.path for file in FileSet("tree/**")] == [
        "tree/a.txt",
        "tree/b.txt",
        "tree/sub/c.csv",
    ]
    before = txt.hash
    assert txt.is_valid()
    make_file("tree/d.txt", "d")
    assert not txt.is_valid()
    assert FileSet("tree/*.txt").hash != before
    assert [f.path for f in txt.iter_subvalues()] == ["tree/a.txt", "tree/b.txt"]


def test_missing_directory_is_empty(workdir) -> None:
    directory = Dir("absent")
    assert not directory.exists()
    assert directory.files() == []
    assert directory.is_valid()
