"""redun's local AWS emulator for the tests: moto's server plus a runner that really runs
Batch jobs (``python -m redun_aws.emulator``), on 127.0.0.1.

One emulator per test session, whichever conftests import these fixtures (the Batch
tests; the Glue tests of redun-spark can use the same server, since moto serves every
AWS API on one port): the process is a module-level singleton, started on first use
and stopped at exit. tests/conftest.py loads this module as a pytest plugin, so every
test directory asks for ``aws_emulator``, ``emulator_env`` or ``emulator_bucket`` by name.

(The module is not named ``moto`` so that it never shadows the real package.) Without
moto the tests skip with the reason, except under CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from servers.session_server import SessionServer, reset_redun_clients

START_TIMEOUT = 90.0


@dataclass
class AWSEmulator:
    """A running emulator: the variables that reach it, and its process."""

    env: dict[str, str]
    directory: Path
    process: subprocess.Popen
    log_path: Path
    _buckets: itertools.count = field(default_factory=itertools.count)

    @property
    def endpoint(self) -> str:
        return self.env["AWS_ENDPOINT_URL"]

    def client(self, service: str):
        """A boto3 client of its own (test set-up and checks, outside redun)."""
        import boto3.session

        session = boto3.session.Session(
            aws_access_key_id=self.env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=self.env["AWS_SECRET_ACCESS_KEY"],
            region_name=self.env["AWS_REGION"],
        )
        return session.client(service, endpoint_url=self.endpoint)

    def new_bucket(self, prefix: str = "redun-batch") -> str:
        name = f"{prefix}-{next(self._buckets)}-{uuid.uuid4().hex[:8]}"
        self.client("s3").create_bucket(
            Bucket=name,
            CreateBucketConfiguration={"LocationConstraint": self.env["AWS_REGION"]},
        )
        return name

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.directory, ignore_errors=True)


def _start() -> AWSEmulator:
    directory = Path(tempfile.mkdtemp(prefix="redun-emulator-"))
    env_file = directory / "aws.env"
    log_path = directory / "emulator.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "redun_aws.emulator", "--env-file", str(env_file)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=directory,
        )
    deadline = time.monotonic() + START_TIMEOUT
    while not env_file.exists():
        if process.poll() is not None:
            raise RuntimeError(f"the emulator exited: {log_path.read_text()[-2000:]}")
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the emulator did not start in {START_TIMEOUT:.0f}s")
        time.sleep(0.1)
    env = {}
    for line in env_file.read_text().splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        env[key] = value
    return AWSEmulator(env, directory, process, log_path)


def _start_with_moto() -> AWSEmulator:
    import moto  # noqa: F401  (a missing moto is the reason the tests skip)

    return _start()


_EMULATOR = SessionServer("the AWS emulator", _start_with_moto)


def get_emulator() -> AWSEmulator:
    """The session's emulator, started on first call; skips (fails in CI) if it cannot."""
    return _EMULATOR.get()


@pytest.fixture(scope="session")
def aws_emulator() -> AWSEmulator:
    """The test session's running emulator (one per session)."""
    return get_emulator()


@pytest.fixture
def emulator_env(
    aws_emulator: AWSEmulator, monkeypatch: pytest.MonkeyPatch
) -> Iterator[AWSEmulator]:
    """boto3's standard variables pointed at the emulator (every service, S3 included);
    a developer's own profiles and config files are cut off."""
    for name in (
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_ENDPOINT_URL_S3",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(aws_emulator.directory / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(aws_emulator.directory / "no-creds"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    for name, value in aws_emulator.env.items():
        monkeypatch.setenv(name, value)
    reset_redun_clients()
    yield aws_emulator
    reset_redun_clients()


@pytest.fixture
def emulator_bucket(emulator_env: AWSEmulator) -> str:
    """A new, empty bucket on the emulator's S3."""
    return emulator_env.new_bucket()
