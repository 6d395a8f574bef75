"""The emulator process: moto's server, the job runner, the ``redun-local`` queue."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from typing import Any

from redun_aws.emulator import moto_seam as seam
from redun_aws.emulator.runner import JobRunner

QUEUE = "redun-local"
REGION = "us-west-2"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def emulator_env(port: int, region: str = REGION) -> dict[str, str]:
    """What a client needs to reach the emulator (dummy credentials, never real ones)."""
    return {
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "AWS_DEFAULT_REGION": region,
        "AWS_REGION": region,
        **CREDENTIALS,
    }


def create_resources(env: dict[str, str]) -> None:
    """An IAM role, a ready compute environment and the job queue ``redun-local``."""
    import boto3

    session = boto3.session.Session(
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name=env["AWS_REGION"],
    )
    endpoint = env["AWS_ENDPOINT_URL"]
    iam = session.client("iam", endpoint_url=endpoint)
    role = iam.create_role(
        RoleName="redun-local-batch",
        AssumeRolePolicyDocument='{"Version": "2012-10-17", "Statement": []}',
    )["Role"]["Arn"]
    batch = session.client("batch", endpoint_url=endpoint)
    compute = batch.create_compute_environment(
        computeEnvironmentName=QUEUE, type="UNMANAGED", state="ENABLED", serviceRole=role
    )["computeEnvironmentArn"]
    batch.create_job_queue(
        jobQueueName=QUEUE,
        state="ENABLED",
        priority=1,
        computeEnvironmentOrder=[{"order": 1, "computeEnvironment": compute}],
    )


def write_env_file(path: str, env: dict[str, str]) -> None:
    """``export K=V`` lines, written whole at once (a reader never sees half a file)."""
    temp = f"{path}.tmp"
    with open(temp, "w") as out:
        for key, value in env.items():
            out.write(f"export {key}={value}\n")
    os.replace(temp, path)


def serve(port: int, env_file: str, region: str = REGION, max_running: int = 0) -> None:
    seam.check_version()
    server = seam.start_server(port)
    env = emulator_env(seam.server_port(server), region)
    runner = JobRunner(env, max_running=max_running)
    seam.install_runner(runner)
    create_resources(env)
    write_env_file(env_file, env)
    print(
        f"redun AWS emulator on {env['AWS_ENDPOINT_URL']} (queue {QUEUE}); variables in {env_file}",
        flush=True,
    )
    done = threading.Event()

    def stop(*_: Any) -> None:
        done.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not done.wait(0.5):
        pass
    runner.stop_all()
    server.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m redun_aws.emulator",
        description="A local AWS Batch, S3, IAM and CloudWatch Logs for redun, on 127.0.0.1.",
    )
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: any free)")
    parser.add_argument("--env-file", required=True, help="where to write export AWS_... lines")
    parser.add_argument("--region", default=REGION)
    parser.add_argument(
        "--max-running",
        type=int,
        default=0,
        help="jobs running at once; the others wait RUNNABLE (0: no limit)",
    )
    args = parser.parse_args(argv)
    try:
        serve(args.port, args.env_file, args.region, args.max_running)
    except ImportError as error:
        sys.exit(f"redun: error: {error}; pip install 'redun-aws[emulator]'")
