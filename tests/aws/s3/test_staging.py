"""StagingFile / StagingDir between S3 and local disk, copied directly (no script)."""

from __future__ import annotations

from redun import Dir, File
from redun.file import StagingDir, StagingFile


def test_staging_file_round_trip(s3_bucket, tmp_path) -> None:
    remote = File(f"s3://{s3_bucket}/in/data.txt")
    remote.write("payload")
    staged = remote.stage(str(tmp_path / "work" / "data.txt"))
    assert isinstance(staged, StagingFile)

    local = staged.stage()
    assert local.read() == "payload" and local.path == str(tmp_path / "work" / "data.txt")

    local.write("changed locally")
    back = staged.unstage()
    assert back.path == remote.path
    assert File(remote.path).read() == "changed locally"
    assert back.hash == File(remote.path).hash, "the unstaged value has the new object's hash"


def test_staging_dir_round_trip(s3_bucket, tmp_path) -> None:
    File(f"s3://{s3_bucket}/tree/a.txt").write("a")
    File(f"s3://{s3_bucket}/tree/b/c.txt").write("c")
    staged = Dir(f"s3://{s3_bucket}/tree").stage(str(tmp_path / "tree"))
    assert isinstance(staged, StagingDir)

    local = staged.stage()
    assert sorted(local.rel_path(f.path) for f in local) == ["a.txt", "b/c.txt"]

    (tmp_path / "tree" / "new.txt").write_text("new")
    remote = staged.unstage()
    assert sorted(remote.rel_path(f.path) for f in remote) == ["a.txt", "b/c.txt", "new.txt"]
    assert File(f"s3://{s3_bucket}/tree/new.txt").read() == "new"
