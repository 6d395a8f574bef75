"""Dir and glob on s3://: a directory is its key prefix, hashed from listing pages."""

from __future__ import annotations

import pytest
from redun import Dir, File, Scheduler, task
from redun.file import RedunOSError, glob_file
from redun.hashing import hash_struct

redun_namespace = "test_s3_dirs"


def put(seaweedfs, bucket: str, *keys: str) -> None:
    client = seaweedfs.client()
    for key in keys:
        client.put_object(Bucket=bucket, Key=key, Body=key.encode())


def etag_hash(seaweedfs, bucket: str, key: str) -> str:
    etag = seaweedfs.client().head_object(Bucket=bucket, Key=key)["ETag"]
    return hash_struct(["File", "s3", f"s3://{bucket}/{key}", etag])


def test_dir_hash_is_upstreams_recipe_over_its_objects(s3_bucket: str, seaweedfs) -> None:
    put(seaweedfs, s3_bucket, "run/a.txt", "run/sub/b.txt", "run/.hidden", "runner.txt")
    path = f"s3://{s3_bucket}/run"
    expected = hash_struct(
        ["Dir", path]
        + sorted(
            etag_hash(seaweedfs, s3_bucket, k)
            for k in ("run/a.txt", "run/sub/b.txt", "run/.hidden")
        )
    )

    assert Dir(path).hash == expected
    assert Dir(path + "/").hash == expected, "a trailing slash names the same directory"


def test_dir_hash_changes_with_any_object(s3_bucket: str, seaweedfs) -> None:
    put(seaweedfs, s3_bucket, "d/a", "d/b")
    before = Dir(f"s3://{s3_bucket}/d")
    before_hash = before.hash

    put(seaweedfs, s3_bucket, "d/c")
    assert Dir(f"s3://{s3_bucket}/d").hash != before_hash
    assert not before.is_valid()


def test_dir_iteration_and_copy_round_trip(s3_bucket: str, seaweedfs, tmp_path) -> None:
    put(seaweedfs, s3_bucket, "tree/a.txt", "tree/x/b.txt", "tree/x/y/c.txt", "treeish")
    remote = Dir(f"s3://{s3_bucket}/tree")
    assert [f.path for f in remote] == [
        f"s3://{s3_bucket}/tree/a.txt",
        f"s3://{s3_bucket}/tree/x/b.txt",
        f"s3://{s3_bucket}/tree/x/y/c.txt",
    ]
    assert remote.exists() and remote.filesystem.isdir(remote.path)

    local = remote.copy_to(Dir(str(tmp_path / "copy")))
    assert (tmp_path / "copy" / "x" / "y" / "c.txt").read_text() == "tree/x/y/c.txt"

    back = local.copy_to(Dir(f"s3://{s3_bucket}/back"))
    assert [back.rel_path(f.path) for f in back] == ["a.txt", "x/b.txt", "x/y/c.txt"]
    assert File(f"s3://{s3_bucket}/back/x/b.txt").read() == "tree/x/b.txt"


def test_glob_patterns(s3_bucket: str, seaweedfs) -> None:
    put(seaweedfs, s3_bucket, "g/a.txt", "g/b.csv", "g/s/c.txt", "g/s/t/d.txt", "g2/e.txt")
    url = f"s3://{s3_bucket}"

    assert glob_file(f"{url}/g/*.txt") == [f"{url}/g/a.txt"]
    assert glob_file(f"{url}/g/*") == [f"{url}/g/a.txt", f"{url}/g/b.csv", f"{url}/g/s"]
    assert glob_file(f"{url}/g/**/*.txt") == [
        f"{url}/g/a.txt",
        f"{url}/g/s/c.txt",
        f"{url}/g/s/t/d.txt",
    ]
    assert glob_file(f"{url}/g?/*.txt") == [f"{url}/g2/e.txt"]
    assert glob_file(f"{url}/g/[ab].*") == [f"{url}/g/a.txt", f"{url}/g/b.csv"]
    assert glob_file(f"{url}/g/a.txt") == [f"{url}/g/a.txt"]
    assert glob_file(f"{url}/g/none.txt") == []


def test_mkdir_and_rmdir(s3_bucket: str, seaweedfs) -> None:
    empty = Dir(f"s3://{s3_bucket}/empty")
    assert not empty.exists()
    empty.mkdir()
    assert empty.exists() and list(empty) == []
    empty.rmdir()
    assert not empty.exists()

    put(seaweedfs, s3_bucket, "full/a", "full/b/c")
    full = Dir(f"s3://{s3_bucket}/full")
    with pytest.raises(RedunOSError, match="not empty"):
        full.rmdir()
    full.rmdir(recursive=True)
    assert not full.exists()
    assert seaweedfs.client().list_objects_v2(Bucket=s3_bucket).get("KeyCount") == 0


@task()
def count_files(folder: Dir) -> int:
    return len(list(folder))


def test_a_dir_is_hashed_iterated_and_recorded_from_listings_alone(
    s3_bucket, seaweedfs, s3_requests, tmp_path
) -> None:
    put(seaweedfs, s3_bucket, *(f"many/{i:03d}.txt" for i in range(40)), "many/sub/x.txt")
    folder = Dir(f"s3://{s3_bucket}/many")

    folder_hash = folder.hash
    file_hashes = [file.hash for file in folder]
    scheduler = Scheduler(config={"backend": {"db_uri": f"sqlite:///{tmp_path}/redun.db"}})
    assert scheduler.run(count_files(Dir(f"s3://{s3_bucket}/many"))) == 41

    assert s3_requests["HeadObject"] == 0
    assert set(s3_requests) == {"ListObjectsV2"}
    assert len(file_hashes) == 41
    assert file_hashes[0] == etag_hash(seaweedfs, s3_bucket, "many/000.txt")
    assert folder_hash == hash_struct(["Dir", folder.path] + sorted(file_hashes))


def test_a_whole_bucket_as_a_dir(s3_bucket, seaweedfs) -> None:
    put(seaweedfs, s3_bucket, "a.txt", "b/c.txt")
    bucket = Dir(f"s3://{s3_bucket}")

    assert bucket.exists()
    assert [f.path for f in bucket] == [f"s3://{s3_bucket}/a.txt", f"s3://{s3_bucket}/b/c.txt"]
    assert bucket.hash == hash_struct(["Dir", bucket.path] + sorted(f.hash for f in bucket))
    assert not Dir("s3://redun-no-such-bucket").exists()
