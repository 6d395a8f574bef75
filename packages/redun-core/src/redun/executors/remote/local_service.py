"""A JobService that runs each job's command as a local process.

It is the smallest real service behind the remote-job lifecycle: remote executors run
it for ``debug = true`` (the job's exact ``redun oneshot`` command, on this machine),
and core's tests drive the lifecycle through it. Its state lives in files under
``state_dir`` (one directory per job: pid, log, exit code), so a scheduler started
later, in another process, can list the jobs still running and reattach to them.
Jobs run in their own session: a Ctrl-C in the terminal reaches the scheduler only.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from redun.executors.remote.service import (
    FAILED,
    PREEMPTED,
    RUNNING,
    SUCCEEDED,
    TIMEOUT,
    ActiveJob,
    JobService,
    RemoteStatus,
)

if TYPE_CHECKING:
    from redun.executors.remote.jobs import RemoteJob

# Runs the command in the child's work directory and records its exit code atomically.
_WRAPPER = (
    'd="$1"; shift; cd "$d/work" && "$@" >"$d/log" 2>&1; '
    'echo $? >"$d/exit.tmp"; mv "$d/exit.tmp" "$d/exit"'
)
_STOP_REASONS = {
    "cancelled": (None, "Terminated: {detail}"),
    "timeout": (TIMEOUT, "Job attempt duration exceeded timeout"),
    "preempted": (PREEMPTED, "Host EC2 (instance i-local) terminated."),
}


class LocalProcessService(JobService):
    """Run commands as local processes; ids are ``JOB`` or ``JOB:INDEX`` for arrays.

    ``env`` adds variables to the jobs' environment; ``timeout`` (seconds) stops a job
    that runs longer, unless the job's ``timeout`` option says otherwise.
    """

    service_name: ClassVar[str] = "local"
    supports_arrays: ClassVar[bool] = True
    max_describe: ClassVar[int] = 100
    array_rank_env: ClassVar[str] = "REDUN_ARRAY_INDEX"

    def __init__(
        self,
        state_dir: str,
        env: dict[str, str] | None = None,
        timeout: float | None = None,
    ) -> None:
        self.state_dir = os.path.abspath(state_dir)
        self.env = dict(env or {})
        self.timeout = timeout
        self.calls: dict[str, int] = {}
        self._procs: dict[str, subprocess.Popen] = {}

    # -- submitting -----------------------------------------------------------------------
    def submit_job(self, job: RemoteJob, command: list[str]) -> str:
        self._count("submit")
        job_id = uuid.uuid4().hex[:12]
        self._start(job_id, [job], command, array=False)
        return job_id

    def submit_array(self, jobs: Sequence[RemoteJob], command: list[str]) -> list[str]:
        self._count("submit")
        job_id = uuid.uuid4().hex[:12]
        self._start(job_id, jobs, command, array=True)
        return [f"{job_id}:{index}" for index in range(len(jobs))]

    def _start(
        self, job_id: str, jobs: Sequence[RemoteJob], command: list[str], array: bool
    ) -> None:
        root = os.path.join(self.state_dir, job_id)
        os.makedirs(root)
        timeout = jobs[0].job.get_option("timeout", self.timeout)
        meta = {
            "eval_hashes": [job.eval_hash for job in jobs],
            "array": array,
            "started": time.time(),
            "timeout": float(timeout) if timeout else None,
            "command": command,
        }
        _write_json(os.path.join(root, "meta.json"), meta)
        env = {**os.environ, **self.env}
        # The worker finds this interpreter's `redun` first, as a container finds its own.
        env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
        for index in range(len(jobs)):
            child = os.path.join(root, str(index))
            os.makedirs(os.path.join(child, "work"))
            child_env = dict(env, REDUN_LOCAL_JOB_ID=job_id)
            if array:
                child_env[self.array_rank_env] = str(index)
            proc = subprocess.Popen(
                ["/bin/sh", "-c", _WRAPPER, "sh", child, *command],
                env=child_env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            with open(os.path.join(child, "pid"), "w") as out:
                out.write(str(proc.pid))
            self._procs[f"{job_id}:{index}" if array else job_id] = proc

    # -- observing --------------------------------------------------------------------------
    def describe(self, remote_ids: Sequence[str]) -> dict[str, RemoteStatus]:
        self._count("describe")
        statuses = {}
        for remote_id in remote_ids:
            status = self._status(remote_id)
            if status is not None:
                statuses[remote_id] = status
        return statuses

    def _status(self, remote_id: str) -> RemoteStatus | None:
        child = self._child_dir(remote_id)
        if not os.path.isdir(child):
            return None
        proc = self._procs.get(remote_id)
        if proc is not None:
            proc.poll()  # reap our own children
        stopped = _read(os.path.join(child, "stopped"))
        if stopped is not None:
            kind, _, detail = stopped.partition(" ")
            cause, reason = _STOP_REASONS[kind]
            return RemoteStatus(FAILED, reason.format(detail=detail), cause)
        code = _read(os.path.join(child, "exit"))
        if code is not None:
            if code.strip() == "0":
                return RemoteStatus(SUCCEEDED, "Essential container in task exited")
            return RemoteStatus(FAILED, f"Essential container in task exited (code {code.strip()})")
        if not _alive(child):
            return RemoteStatus(FAILED, "the job's process vanished")
        meta = self._meta(remote_id)
        timeout = meta.get("timeout")
        if timeout and time.time() - meta["started"] > timeout:
            self._stop(remote_id, "timeout")
            return self._status(remote_id)
        return RemoteStatus(RUNNING)

    def list_active(self) -> list[ActiveJob]:
        self._count("list")
        if not os.path.isdir(self.state_dir):
            return []
        active = []
        for job_id in sorted(os.listdir(self.state_dir)):
            meta_path = os.path.join(self.state_dir, job_id, "meta.json")
            if not os.path.exists(meta_path):
                continue
            with open(meta_path) as infile:
                meta = json.load(infile)
            hashes = tuple(meta["eval_hashes"])
            if meta["array"]:
                ids = tuple(f"{job_id}:{i}" for i in range(len(hashes)))
            else:
                ids = (job_id,)
            running = [(h, i) for h, i in zip(hashes, ids, strict=True) if self._is_running(i)]
            if not running:
                continue
            if meta["array"]:
                active.append(
                    ActiveJob(job_id, tuple(h for h, _ in running), tuple(i for _, i in running))
                )
            else:
                active.append(ActiveJob(job_id, hashes))
        return active

    def _is_running(self, remote_id: str) -> bool:
        status = self._status(remote_id)
        return status is not None and not status.is_terminal

    def log_tail(self, remote_id: str, lines: int = 20) -> list[str]:
        text = _read(os.path.join(self._child_dir(remote_id), "log")) or ""
        return text.splitlines()[-lines:] if lines else []

    # -- stopping ---------------------------------------------------------------------------
    def cancel(self, remote_ids: Sequence[str], reason: str) -> None:
        self._count("cancel")
        for remote_id in remote_ids:
            self._stop(remote_id, "cancelled", reason)

    def preempt(self, remote_id: str) -> None:
        """Kill a job as if its host had been reclaimed (for tests of preemption)."""
        self._stop(remote_id, "preempted")

    def _stop(self, remote_id: str, kind: str, detail: str = "") -> None:
        child = self._child_dir(remote_id)
        if not os.path.isdir(child) or os.path.exists(os.path.join(child, "exit")):
            return
        with open(os.path.join(child, "stopped"), "w") as out:
            out.write(f"{kind} {detail}".strip())
        pid = int(_read(os.path.join(child, "pid")) or 0)
        deadline = time.monotonic() + 5.0
        while (
            not pid
            and time.monotonic() < deadline
            and not os.path.exists(os.path.join(child, "exit"))
        ):
            # Started but not yet writing its pid: wait for it, or the job would outlive
            # the stop and run on after the scheduler gave up on it.
            time.sleep(0.02)
            pid = int(_read(os.path.join(child, "pid")) or 0)
        if pid:
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        proc = self._procs.get(remote_id)
        if proc is not None:
            proc.wait()

    def detach_hint(self, remote_ids: Sequence[str]) -> str:
        return f"rerun the same command to reattach; their state is in {self.state_dir}"

    def close(self) -> None:
        for proc in self._procs.values():
            proc.poll()

    # -- helpers ----------------------------------------------------------------------------
    def _child_dir(self, remote_id: str) -> str:
        job_id, _, index = remote_id.partition(":")
        return os.path.join(self.state_dir, job_id, index or "0")

    def _meta(self, remote_id: str) -> dict[str, Any]:
        job_id = remote_id.partition(":")[0]
        with open(os.path.join(self.state_dir, job_id, "meta.json")) as infile:
            return json.load(infile)

    def _count(self, call: str) -> None:
        self.calls[call] = self.calls.get(call, 0) + 1


def _alive(child: str) -> bool:
    pid = int(_read(os.path.join(child, "pid")) or 0)
    if not pid:
        return True  # starting
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return os.path.exists(os.path.join(child, "exit"))
    except PermissionError:
        return True
    return True


def _read(path: str) -> str | None:
    try:
        with open(path) as infile:
            return infile.read()
    except FileNotFoundError:
        return None


def _write_json(path: str, data: Any) -> None:
    with open(path, "w") as out:
        json.dump(data, out)
