"""The aws_glue executor against moto's Glue API, with job runs executed by the Glue
driver on local Spark (its awsglue-less fallback)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest

WORKFLOW = """
import redun.glue as glue
from redun import task

@task(executor="glue")
def total(n: int) -> int:
    return glue.get_spark_session().range(n).groupBy().sum("id").collect()[0][0]

@task()
def main(n: int = 10) -> list:
    return [total(n), total(n + 1)]

@task(executor="glue")
def bad_sql() -> int:
    return glue.get_spark_session().sql("SELECT * FROM no_such_table").count()
"""


@pytest.fixture
def glue_repo(tmp_path, glue_emulator):
    bucket = f"redun-glue-{uuid.uuid4().hex[:8]}"
    glue_emulator.client("s3").create_bucket(Bucket=bucket)

    def make(extra: str = "") -> str:
        (tmp_path / ".redun").mkdir(exist_ok=True)
        (tmp_path / ".redun" / "redun.ini").write_text(
            "[backend]\ndb_uri = sqlite:///redun.db\n\n"
            "[executors.glue]\ntype = aws_glue\n"
            f"s3_scratch = s3://{bucket}/scratch\n"
            "role = arn:aws:iam::123456789012:role/glue\n"
            "job_monitor_interval = 0.2\n" + extra
        )
        (tmp_path / "wf.py").write_text(WORKFLOW)
        return str(tmp_path)

    return make


def redun(repo: str, env: dict, *args: str) -> subprocess.CompletedProcess:
    code = "from redun.cli.main import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env=dict(os.environ, **env),
        timeout=600,
    )


def test_tasks_run_as_glue_job_runs_of_one_job_definition(glue_emulator, glue_repo) -> None:
    # One run at a time: Glue refuses the second start (ConcurrentRunsExceededException)
    # until the first ends, so the second task only succeeds by being started again.
    repo = glue_repo("max_concurrent_runs = 1\njob_retry_interval = 0.5\n")
    runs_before = len(glue_emulator.runs)

    result = redun(repo, glue_emulator.env, "run", "wf.py", "main")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[45, 55]"
    new_runs = glue_emulator.runs[runs_before:]
    assert [code for _, _, code, _ in new_runs] == [0, 0]
    assert len({name for name, _, _, _ in new_runs}) == 1, "one job definition"
    job = glue_emulator.client("glue").get_job(JobName=new_runs[0][0])["Job"]
    assert job["Command"]["ScriptLocation"].endswith(".py")
    assert ".zip" in job["DefaultArguments"]["--extra-py-files"]
    assert job["ExecutionProperty"]["MaxConcurrentRuns"] == 1

    again = redun(repo, glue_emulator.env, "run", "wf.py", "main")
    assert again.stdout == result.stdout
    assert len(glue_emulator.runs) == runs_before + 2, "cached: no new job run"


def test_a_failing_glue_task_raises_its_own_exception(glue_emulator, glue_repo) -> None:
    repo = glue_repo()

    result = redun(repo, glue_emulator.env, "run", "wf.py", "bad_sql")

    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("redun: error: AnalysisException: [TABLE_OR_VIEW_NOT_FOUND]")
    assert "AWS Glue status reason: Glue job run FAILED" in result.stderr


def test_a_restarted_scheduler_reattaches_to_a_running_job_run(glue_emulator, glue_repo) -> None:
    repo = glue_repo()
    code = "from redun.cli.main import main; main()"
    command = [sys.executable, "-c", code, "run", "wf.py", "total", "--n", "7"]
    env = dict(os.environ, **glue_emulator.env)
    glue_emulator.gate.clear()  # the run stays RUNNING until released
    try:
        first = subprocess.Popen(command, cwd=repo, env=env, text=True, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        running = []
        while not running and time.monotonic() < deadline:
            running = [
                run
                for job in glue_emulator.backend().jobs.values()
                for run in job.job_runs
                if run._status == "RUNNING"
            ]
            time.sleep(0.05)
        assert running, "the job run never started"
        first.send_signal(signal.SIGINT)
        first.communicate(timeout=120)
        assert first.returncode != 0

        glue_emulator.listed.clear()
        second = subprocess.Popen(
            command, cwd=repo, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert glue_emulator.listed.wait(120), "the second run never looked for running jobs"
    finally:
        glue_emulator.gate.set()
    stdout, stderr = second.communicate(timeout=300)

    assert second.returncode == 0, stderr
    assert stdout.strip() == "21"
    assert "Reattach total job" in stderr
    job_name = running[0].job_name
    runs = glue_emulator.client("glue").get_job_runs(JobName=job_name)["JobRuns"]
    hashes = [run["Arguments"]["--redun-eval-hash"] for run in runs]
    assert len(hashes) == len(set(hashes)), "no job run was started twice"
