"""AWS Glue for the tests: moto's server (HTTP on 127.0.0.1, in this process) whose job
runs a runner thread makes progress by executing each run's driver with local Spark.

moto keeps a job run STARTING until told otherwise (its state manager set to manual);
the runner takes each new run, marks it RUNNING, runs the driver through
:func:`redun_spark.glue.local.run_job_run`, then marks it SUCCEEDED or FAILED. Every
other Glue call (create_job, start_job_run, get_job_run, MaxConcurrentRuns) is moto's.

The ``glue_emulator`` fixture loads as a pytest plugin (tests/conftest.py).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

ACCOUNT = "123456789012"
REGION = "us-east-1"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
SPARK_CONF = {
    "spark.ui.enabled": "false",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.log.level": "WARN",
}


@dataclass
class GlueEmulator:
    endpoint: str
    server: object
    runs: list = field(default_factory=list)  # (job name, run id, exit code, log)
    # Cleared by a test to hold runs RUNNING (the driver waits until it is set again).
    gate: threading.Event = field(default_factory=threading.Event)
    # Set whenever someone lists a job's runs (a scheduler looking for runs to reattach).
    listed: threading.Event = field(default_factory=threading.Event)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    @property
    def env(self) -> dict[str, str]:
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            **CREDENTIALS,
        }

    def client(self, service: str):
        import boto3

        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def backend(self):
        from moto.glue.models import glue_backends

        return glue_backends[ACCOUNT][REGION]

    def start_runner(self) -> None:
        self.gate.set()
        backend = self.backend()
        list_runs = backend.get_job_runs

        def get_job_runs(*args, **kwargs):
            self.listed.set()
            return list_runs(*args, **kwargs)

        backend.get_job_runs = get_job_runs
        self._thread = threading.Thread(target=self._run, name="glue-runner", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            pending = [
                run
                for job in list(self.backend().jobs.values())
                for run in list(job.job_runs)
                if run._status == "STARTING"
            ]
            for run in pending:
                self._execute(run)
            time.sleep(0.1)

    def _execute(self, run) -> None:
        from redun_spark.glue.local import run_job_run

        run.status = "RUNNING"
        self.gate.wait()
        code, log = run_job_run(
            run.job_name, run.arguments or {}, conf=SPARK_CONF, env=self.env, timeout=600
        )
        self.runs.append((run.job_name, run.job_run_id, code, log))
        run.status = "SUCCEEDED" if code == 0 else "FAILED"

    def stop(self) -> None:
        self._stop.set()
        self.server.stop()


def start_glue_emulator() -> GlueEmulator:
    from moto.moto_api import state_manager
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    # Runs stay STARTING until the runner moves them.
    state_manager.set_transition(
        model_name="glue::job_run", transition={"progression": "manual", "times": 10**9}
    )
    emulator = GlueEmulator(endpoint=f"http://127.0.0.1:{port}", server=server)
    emulator.start_runner()
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    return emulator


@pytest.fixture(scope="module")
def glue_emulator() -> Iterator[GlueEmulator]:
    """Glue on moto's server, its job runs executed by local Spark (one per test module)."""
    emulator = start_glue_emulator()
    yield emulator
    emulator.stop()
