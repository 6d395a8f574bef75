"""script() with S3 inputs and outputs, staged in and out as upstream does (aws s3 cp)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from redun import File, Scheduler, script, task
from redun.file import Dir

redun_namespace = "test_s3_scripts"


@pytest.fixture
def aws_on_path(s3_env, monkeypatch):
    """The AWS CLI installed beside this interpreter is what `aws s3 cp` runs."""
    bin_dir = str(Path(sys.executable).parent)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")


@task()
def shout(data: File, out_url: str, runs_log: str) -> File:
    return script(
        f"echo run >> {runs_log}; tr a-z A-Z < in.txt > out.txt",
        inputs=[data.stage("in.txt")],
        outputs=File(out_url).stage("out.txt"),
        tempdir=True,
    )


@task()
def join_tree(folder: Dir, out_url: str) -> File:
    return script(
        "cat tree/a.txt tree/b/c.txt > joined.txt",
        inputs=[folder.stage("tree")],
        outputs=File(out_url).stage("joined.txt"),
        tempdir=True,
    )


def test_staging_renders_upstreams_commands(s3_env) -> None:
    staged = File("s3://bucket/in put.txt").stage("local.txt")
    assert staged.render_stage() == "aws s3 cp --no-progress 's3://bucket/in put.txt' local.txt"
    assert staged.render_unstage() == "aws s3 cp --no-progress local.txt 's3://bucket/in put.txt'"
    staged_dir = Dir("s3://bucket/d").stage("d")
    assert staged_dir.render_stage() == "aws s3 cp --no-progress --recursive s3://bucket/d d"


def test_script_stages_s3_files_in_and_out(s3_bucket, aws_on_path, tmp_path) -> None:
    File(f"s3://{s3_bucket}/in.txt").write("quiet words\n")
    scheduler = Scheduler(config={"backend": {"db_uri": f"sqlite:///{tmp_path}/redun.db"}})
    out_url = f"s3://{s3_bucket}/results/out.txt"
    runs = tmp_path / "runs.log"

    result = scheduler.run(shout(File(f"s3://{s3_bucket}/in.txt"), out_url, str(runs)))

    assert isinstance(result, File) and result.path == out_url
    assert result.read() == "QUIET WORDS\n"
    assert result.is_valid()

    # Cached while nothing changed; a changed input object runs the script again.
    scheduler.run(shout(File(f"s3://{s3_bucket}/in.txt"), out_url, str(runs)))
    assert runs.read_text() == "run\n"
    File(f"s3://{s3_bucket}/in.txt").write("other words\n")
    again = scheduler.run(shout(File(f"s3://{s3_bucket}/in.txt"), out_url, str(runs)))
    assert again.read() == "OTHER WORDS\n"
    assert runs.read_text() == "run\nrun\n"


def test_script_stages_an_s3_directory(s3_bucket, aws_on_path, tmp_path) -> None:
    File(f"s3://{s3_bucket}/tree/a.txt").write("A")
    File(f"s3://{s3_bucket}/tree/b/c.txt").write("C")
    scheduler = Scheduler(config={"backend": {"db_uri": f"sqlite:///{tmp_path}/redun.db"}})

    joined = scheduler.run(join_tree(Dir(f"s3://{s3_bucket}/tree"), f"s3://{s3_bucket}/joined.txt"))

    assert joined.read() == "AC"
    assert joined.path == f"s3://{s3_bucket}/joined.txt"
