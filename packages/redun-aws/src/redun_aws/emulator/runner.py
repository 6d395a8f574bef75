"""Runs each job the emulated AWS Batch receives, as local processes.

Like a Batch container: the job's command runs with its environment plus
``AWS_BATCH_JOB_ID`` (and ``AWS_BATCH_JOB_ARRAY_INDEX`` for an array child, or the
``AWS_BATCH_JOB_NODE_INDEX`` family for each node of a multi-node job), in a fresh
working directory; the job is RUNNING while it runs and then SUCCEEDED or FAILED by
the (main node's) exit code; its output goes to the CloudWatch log stream moto names
for it. TerminateJob stops it, and its reason becomes the job's ``statusReason``: a
reason beginning ``Host EC2`` is how tests emulate a Spot reclaim. A job that runs
past its ``attemptDurationSeconds`` is stopped as Batch stops it, and one whose
processes use more memory than its ``MEMORY`` requirement is killed as Batch's
container runtime kills it (:mod:`redun_aws.emulator.memory`).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any

from redun_aws.emulator import moto_seam as seam
from redun_aws.emulator.memory import OOM_EXIT_CODE, OOM_REASON, MemoryWatch

EXITED = "Essential container in task exited"
TIMED_OUT = "Job attempt duration exceeded timeout"
POLL = 0.05


class JobRunner:
    """Starts one thread per job; ``env`` is what every job sees (endpoint, region,
    credentials of the emulator)."""

    def __init__(
        self, env: dict[str, str], workdir: str | None = None, max_running: int = 0
    ) -> None:
        self.env = dict(env)
        # Like a compute environment's capacity: beyond it, jobs wait RUNNABLE.
        self._slots = threading.Semaphore(max_running) if max_running > 0 else None
        self.workdir = workdir or tempfile.mkdtemp(prefix="redun-emulator-")
        self._lock = threading.Lock()
        self._procs: dict[str, list[subprocess.Popen]] = {}
        self._memory = MemoryWatch()

    def start(self, job: Any, is_parent: bool) -> None:
        if is_parent:
            seam.set_pending(job)  # an array's parent runs nothing; its children decide
            return
        thread = threading.Thread(target=self._run, args=(job,), daemon=True)
        thread.start()

    def stop_all(self) -> None:
        """Kill every job still running (the emulator is shutting down)."""
        with self._lock:
            procs = [proc for group in self._procs.values() for proc in group]
        for proc in procs:
            _kill(proc)
        shutil.rmtree(self.workdir, ignore_errors=True)

    # -- one job ------------------------------------------------------------------------
    def _run(self, job: Any) -> None:
        if self._slots is not None:
            seam.set_runnable(job)
            while not self._slots.acquire(timeout=POLL):
                stopped = seam.stop_requested(job)
                if stopped is not None:
                    seam.set_stopped(job, False, stopped, None)
                    self._update_parent(job)
                    return
        container_reason = None
        try:
            success, reason, code, container_reason = self._execute(job)
        except Exception as error:  # report, never leave a job RUNNING forever
            success, reason, code = False, f"CannotStartContainerError: {error}", None
        finally:
            if self._slots is not None:
                self._slots.release()
        seam.set_stopped(job, success, reason, code, container_reason)
        self._update_parent(job)

    def _execute(self, job: Any) -> tuple[bool, str, int | None, str | None]:
        job_id = seam.job_id(job)
        nodes = seam.job_nodes(job)
        if not nodes[0].command:
            return False, "CannotStartContainerError: the job has no command", None, None
        env = {**os.environ, **self.env}
        env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
        env["AWS_BATCH_JOB_ID"] = job_id
        index = seam.array_index(job)
        if index is not None:
            env["AWS_BATCH_JOB_ARRAY_INDEX"] = str(index)
        workdir = tempfile.mkdtemp(prefix=job_id.replace(":", "-") + "-", dir=self.workdir)
        seam.set_running(job)
        procs = []
        for node, spec in enumerate(nodes):
            if not spec.command:
                continue  # a node no range of the job definition names
            node_env = {**env, **spec.environment}
            if len(nodes) > 1:
                node_env.update(
                    AWS_BATCH_JOB_NODE_INDEX=str(node),
                    AWS_BATCH_JOB_MAIN_NODE_INDEX="0",
                    AWS_BATCH_JOB_NUM_NODES=str(len(nodes)),
                    AWS_BATCH_JOB_MAIN_NODE_PRIVATE_IPV4_ADDRESS="127.0.0.1",
                )
            node_dir = os.path.join(workdir, str(node))
            os.makedirs(node_dir)
            proc = subprocess.Popen(
                spec.command,
                cwd=node_dir,
                env=node_env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            self._memory.watch(proc.pid, spec.memory_mib)
            procs.append(proc)
        with self._lock:
            self._procs[job_id] = procs
        try:
            return self._watch(job, procs)
        finally:
            with self._lock:
                self._procs.pop(job_id, None)
            for proc in procs:
                self._memory.forget(proc.pid)
            shutil.rmtree(workdir, ignore_errors=True)

    def _watch(
        self, job: Any, procs: list[subprocess.Popen]
    ) -> tuple[bool, str, int | None, str | None]:
        logs = _LogPump(job, procs[0])
        deadline = None
        duration = seam.attempt_duration(job)
        if duration:
            deadline = time.monotonic() + duration
        stopped: str | None = None
        out_of_memory = False
        while any(proc.poll() is None for proc in procs):
            stopped = seam.stop_requested(job)
            if stopped is None and deadline is not None and time.monotonic() > deadline:
                stopped = TIMED_OUT
            out_of_memory = any(self._memory.exceeded(proc.pid) for proc in procs)
            if stopped is not None or out_of_memory:
                for proc in procs:
                    _kill(proc)
                break
            logs.flush()
            time.sleep(POLL)
        for proc in procs:
            proc.wait()
        logs.close()
        code = procs[0].returncode
        out_of_memory = out_of_memory or any(self._memory.exceeded(proc.pid) for proc in procs)
        if stopped is not None:
            return False, stopped, code, None
        if out_of_memory:
            # Batch's words: the job's status reason is the container's exit, and the
            # container's own reason says why it exited.
            return False, EXITED, OOM_EXIT_CODE, OOM_REASON
        return code == 0, EXITED, code, None

    def _update_parent(self, job: Any) -> None:
        parent = seam.parent_of(job)
        if parent is None:
            return
        with self._lock:
            children = seam.children_of(parent)
            states = [child.status for child in children]
            if not children or any(s not in (seam.SUCCEEDED, seam.FAILED) for s in states):
                return
            failed = states.count(seam.FAILED)
            reason = f"{failed} of {len(children)} child jobs failed" if failed else ""
            seam.set_parent_done(parent, success=not failed, reason=reason or EXITED)


class _LogPump:
    """Reads the main process's output on a thread; lines go to CloudWatch in batches."""

    def __init__(self, job: Any, proc: subprocess.Popen) -> None:
        self.job = job
        self._lines: list[tuple[int, str]] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self._thread.start()

    def _read(self, proc: subprocess.Popen) -> None:
        assert proc.stdout is not None
        for raw in proc.stdout:
            line = raw.decode("utf8", "replace").rstrip("\n")
            with self._lock:
                self._lines.append((int(time.time() * 1000), line))

    def flush(self) -> None:
        with self._lock:
            lines, self._lines = self._lines, []
        if lines:
            seam.put_logs(self.job, lines)

    def close(self) -> None:
        self._thread.join(timeout=5)
        self.flush()


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
