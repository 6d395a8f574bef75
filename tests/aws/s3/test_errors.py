"""Bad S3 input as a user meets it: one ``redun: error:`` line naming bucket and key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from redun.cli.main import main
from redun_aws.s3.clients import reset_clients
from servers.seaweedfs import READABLE_BUCKET, READER, SeaweedFS

REDUN = str(Path(sys.executable).parent / "redun")
MISSING = "redun-no-such-bucket"


@pytest.fixture
def fs_cp(s3_env: SeaweedFS, tmp_path: Path, monkeypatch, capsys):
    """Runs ``redun fs cp ARGS`` in this process; returns (exit code, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.txt").write_text("x")

    def run(*args: str) -> tuple[int, str, str]:
        reset_clients()  # the environment may have changed since the last request
        try:
            main(["fs", "cp", *args])
            code = 0
        except SystemExit as exit:
            code = int(exit.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def error_line(result: tuple[int, str, str]) -> str:
    code, _, err = result
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) == 1, result
    assert lines[0].startswith("redun: error: "), result
    return lines[0]


def test_a_missing_bucket_is_named(fs_cp, s3_bucket) -> None:
    for args, url in (
        ((f"s3://{MISSING}/in.txt", "out"), f"s3://{MISSING}/in.txt"),  # download
        (("in.txt", f"s3://{MISSING}/k.txt"), f"s3://{MISSING}/k.txt"),  # upload
        ((f"s3://{MISSING}/in.txt", "-"), f"s3://{MISSING}/in.txt"),  # stream
    ):
        line = error_line(fs_cp(*args))
        assert f"S3 bucket '{MISSING}' does not exist. {url}" in line, line

    missing_key = error_line(fs_cp(f"s3://{s3_bucket}/none.txt", "out"))
    assert missing_key.endswith(f"No such S3 object. s3://{s3_bucket}/none.txt")


def test_access_denied_is_named(fs_cp, seaweedfs, s3_bucket, monkeypatch) -> None:
    seaweedfs.client().put_object(Bucket=s3_bucket, Key="secret.txt", Body=b"s")
    seaweedfs.client().put_object(Bucket=READABLE_BUCKET, Key="open.txt", Body=b"o")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", READER[0])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", READER[1])

    for args, url in (
        ((f"s3://{s3_bucket}/secret.txt", "out"), f"s3://{s3_bucket}/secret.txt"),
        ((f"s3://{s3_bucket}/secret.txt", "-"), f"s3://{s3_bucket}/secret.txt"),
        (("in.txt", f"s3://{READABLE_BUCKET}/new.txt"), f"s3://{READABLE_BUCKET}/new.txt"),
    ):
        line = error_line(fs_cp(*args))
        bucket = url.split("/")[2]
        assert "S3 denied access" in line and f"to bucket '{bucket}'" in line, line
        assert line.endswith(url), line
    # What the identity may do still works.
    assert fs_cp(f"s3://{READABLE_BUCKET}/open.txt", "-")[:2] == (0, "o")


def test_missing_credentials_say_so(fs_cp, s3_bucket, monkeypatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")

    line = error_line(fs_cp(f"s3://{s3_bucket}/in.txt", "out"))

    assert line.startswith(
        f"redun: error: no AWS credentials found to access bucket '{s3_bucket}'"
    ), line


def test_the_redun_command_prints_one_line_and_no_secret(s3_env: SeaweedFS, tmp_path) -> None:
    env = dict(os.environ)
    result = subprocess.run(
        [REDUN, "fs", "cp", f"s3://{MISSING}/in.txt", "out"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr == (
        f"redun: error: [Errno 2] S3 bucket '{MISSING}' does not exist. s3://{MISSING}/in.txt\n"
    )
    assert env["AWS_SECRET_ACCESS_KEY"] not in result.stderr + result.stdout


def test_an_unreachable_endpoint_is_named(fs_cp, monkeypatch) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again below: nothing listens there
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")

    line = error_line(fs_cp("s3://some-bucket/in.txt", "-"))

    assert "cannot reach the S3 endpoint" in line and f"127.0.0.1:{port}" in line, line
    assert line.endswith("s3://some-bucket/in.txt")
