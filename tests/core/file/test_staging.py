"""Staging: copying remote files to where a script works on them, and back."""

from __future__ import annotations

from redun.file import Dir, File, StagingDir, StagingFile


def test_file_stage_defaults_to_basename_and_directory_targets(workdir) -> None:
    assert File("remote/data.txt").stage().local.path == "data.txt"
    assert File("remote/data.txt").stage("work/").local.path == "work/data.txt"
    assert File("remote/data.txt").stage("in.txt").local.path == "in.txt"
    assert Dir("remote/dir").stage().local.path == "dir"


def test_render_stage_and_unstage_are_copy_commands(workdir) -> None:
    staging = File("remote/data.txt").stage("local data.txt")
    assert isinstance(staging, StagingFile)
    assert staging.render_stage() == "cp remote/data.txt 'local data.txt'"
    assert staging.render_unstage() == "cp 'local data.txt' remote/data.txt"
    staging_dir = Dir("remote/dir").stage("work")
    assert isinstance(staging_dir, StagingDir)
    assert staging_dir.render_stage() == "cp -r remote/dir work"
    assert staging_dir.render_unstage() == "cp -r work remote/dir"


def test_same_path_needs_no_copy(workdir, make_file) -> None:
    make_file("data.txt", "x")
    staging = StagingFile("data.txt", "data.txt")
    assert staging.render_stage() == staging.render_unstage() == ""
    assert staging.stage() is staging.local
    assert staging.unstage() is staging.remote


def test_stage_and_unstage_copy_files(workdir, make_file) -> None:
    make_file("remote/in.txt", "input")
    staging = File("remote/in.txt").stage("work/in.txt")
    local = staging.stage()
    assert local.read() == "input"

    out = StagingFile("work/out.txt", "remote/out.txt")
    out.local.write("result")
    remote = out.unstage()
    assert remote.path == "remote/out.txt" and remote.read() == "result"
    assert remote.is_valid()


def test_stage_and_unstage_copy_directories(workdir, make_file) -> None:
    make_file("remote/dir/a.txt", "a")
    make_file("remote/dir/sub/b.txt", "b")
    local = Dir("remote/dir").stage("work").stage()
    assert [f.path for f in local] == ["work/a.txt", "work/sub/b.txt"]
    make_file("work/sub/new.txt", "n")
    remote = StagingDir("work", "remote/dir").unstage()
    assert remote.file("sub/new.txt").read() == "n"


def test_staging_hash_depends_on_paths_not_content(workdir, make_file) -> None:
    make_file("remote.txt", "v1")
    before = StagingFile("local.txt", "remote.txt").get_hash()
    make_file("remote.txt", "v2 longer")
    assert StagingFile("local.txt", "remote.txt").get_hash() == before
    assert StagingFile("other.txt", "remote.txt").get_hash() != before
