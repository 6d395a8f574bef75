"""Caches recorded by upstream redun 0.44.1 with S3 files hit here (same hash recipes).

The database and hashes in tests/aws/data/upstream_s3 were recorded by upstream against
SeaweedFS (see RECORDING.md there); the test puts the same objects into a bucket of the
same name, so the ETags and therefore every hash are the same.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from redun import Dir, File

DATA = Path(__file__).parents[1] / "data" / "upstream_s3"
BUCKET = "redun-upstream-compat"
OBJECTS = json.loads((DATA / "objects.json").read_text())


@pytest.fixture
def compat_bucket(s3_env) -> str:
    """The bucket upstream ran against, holding exactly its inputs and outputs."""
    client = s3_env.client()
    try:
        client.create_bucket(Bucket=BUCKET)
    except client.exceptions.BucketAlreadyOwnedByYou:
        pass
    except client.exceptions.BucketAlreadyExists:
        pass
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for obj in listed:
        client.delete_object(Bucket=BUCKET, Key=obj["Key"])
    for key, text in {**OBJECTS["inputs"], **OBJECTS["outputs"]}.items():
        client.put_object(Bucket=BUCKET, Key=key, Body=text.encode())
    return BUCKET


@pytest.mark.parametrize("name", sorted(json.loads((DATA / "hashes.json").read_text())))
def test_hashes_match_upstream(compat_bucket: str, name: str) -> None:
    expected = json.loads((DATA / "hashes.json").read_text())[name]
    value = Dir(expected["path"]) if "dir" in name else File(expected["path"])

    assert value.hash == expected["hash"]


def run_redun(cwd: Path) -> subprocess.CompletedProcess:
    bin_dir = str(Path(sys.executable).parent)  # `redun`, and the `aws` CLI scripts stage with
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(
        [str(Path(bin_dir) / "redun"), "run", "workflow.py", "main"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_upstream_cache_with_s3_files_is_reused(compat_bucket: str, s3_env, tmp_path) -> None:
    (tmp_path / ".redun").mkdir()
    shutil.copy(DATA / "upstream-0.44.1-s3.db", tmp_path / ".redun" / "redun.db")
    (tmp_path / ".redun" / "redun.ini").write_text("[backend]\ndb_uri = sqlite:///redun.db\n")
    shutil.copy(DATA / "workflow.py", tmp_path / "workflow.py")

    cached = run_redun(tmp_path)

    assert cached.returncode == 0, cached.stderr
    assert "Run    Job" not in cached.stderr, cached.stderr
    for task in ("main", "count_bytes", "list_dir", "write_report", "staged_upper"):
        assert "Cached Job" in cached.stderr and f"s3compat.{task}(" in cached.stderr
    assert "File(path=s3://redun-upstream-compat/out/upper.txt, hash=02669904)" in cached.stdout

    # A changed input object re-runs exactly what reads it, staging through `aws s3 cp`.
    s3_env.client().put_object(Bucket=BUCKET, Key="in/data.txt", Body=b"delta\n")
    rerun = run_redun(tmp_path)

    assert rerun.returncode == 0, rerun.stderr
    ran = [line for line in rerun.stderr.splitlines() if "Run    Job" in line]
    assert any("s3compat.count_bytes(" in line for line in ran), rerun.stderr
    assert any("s3compat.staged_upper(" in line for line in ran), rerun.stderr
    assert File(f"s3://{BUCKET}/out/upper.txt").read() == "DELTA\n"
    assert rerun.stdout.splitlines()[0] == "[6,"
