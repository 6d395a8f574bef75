"""Bad S3 input inside a workflow run: the run fails with one line naming the object,
and what finished before stays recorded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from servers.seaweedfs import READER

REDUN = str(Path(sys.executable).parent / "redun")

WORKFLOW = """
from redun import File, task

redun_namespace = "s3_bad_input"


@task()
def ok() -> str:
    return "fine"


@task()
def size(data: File) -> int:
    return data.size()


@task()
def main(url: str) -> list:
    return [ok(), size(File(url))]
"""


def redun_run(cwd: Path, env: dict[str, str], url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [REDUN, "run", "workflow.py", "main", "--url", url],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_denied_and_missing_inputs_fail_the_run_with_one_line(s3_env, s3_bucket, tmp_path) -> None:
    s3_env.client().put_object(Bucket=s3_bucket, Key="in.txt", Body=b"12345")
    (tmp_path / "workflow.py").write_text(WORKFLOW)
    env = dict(os.environ)

    good = redun_run(tmp_path, env, f"s3://{s3_bucket}/in.txt")
    assert good.returncode == 0, good.stderr
    assert good.stdout.strip().splitlines()[-1] == "['fine', 5]"

    denied_env = {**env, "AWS_ACCESS_KEY_ID": READER[0], "AWS_SECRET_ACCESS_KEY": READER[1]}
    denied = redun_run(tmp_path, denied_env, f"s3://{s3_bucket}/in.txt")
    assert denied.returncode == 1
    assert denied.stderr.strip().splitlines()[-1] == (
        f"redun: error: [Errno 13] S3 denied access (403) to bucket '{s3_bucket}'. "
        f"s3://{s3_bucket}/in.txt"
    )

    missing = redun_run(tmp_path, env, "s3://redun-no-such-bucket/in.txt")
    assert missing.returncode == 1
    assert missing.stderr.strip().splitlines()[-1] == (
        "redun: error: [Errno 2] S3 bucket 'redun-no-such-bucket' does not exist. "
        "s3://redun-no-such-bucket/in.txt"
    )

    # The repository is still usable and keeps what ran before the failures.
    again = redun_run(tmp_path, env, f"s3://{s3_bucket}/in.txt")
    assert again.returncode == 0, again.stderr
    assert "Run    Job" not in again.stderr, "every job of the good run is still cached"
