"""The scratch layout remote jobs share with ``redun oneshot``, and reading it back.

``<scratch>/jobs/<eval hash>/{input,output,error}`` for each job, and for an array job
``<scratch>/array_jobs/<array hash>/{input,output,error,eval_hashes}``: one input pickle
with every child's arguments, JSON lists of the children's own output and error paths
(so each child's result lands in its own job directory and is found again after a
restart), and the children's eval hashes in index order (for reattaching). ``scratch``
is any URL a registered file system serves (a local directory, ``s3://...``).
"""

from __future__ import annotations

import hashlib
import json
import pickle
import traceback as tb_module
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class JobPaths:
    """Where one job's (or one array job's) files live in scratch."""

    root: str

    @property
    def input(self) -> str:
        return f"{self.root}/input"

    @property
    def output(self) -> str:
        return f"{self.root}/output"

    @property
    def error(self) -> str:
        return f"{self.root}/error"

    @property
    def status(self) -> str:
        return f"{self.root}/status"

    @property
    def eval_hashes(self) -> str:
        return f"{self.root}/eval_hashes"


def job_paths(scratch: str, eval_hash: str) -> JobPaths:
    return JobPaths(f"{scratch.rstrip('/')}/jobs/{eval_hash}")


def array_hash(eval_hashes: Sequence[str]) -> str:
    """One name per set of children: the same jobs resubmitted reuse the same files."""
    return hashlib.sha1("\n".join(eval_hashes).encode()).hexdigest()


def array_paths(scratch: str, eval_hashes: Sequence[str]) -> JobPaths:
    return JobPaths(f"{scratch.rstrip('/')}/array_jobs/{array_hash(eval_hashes)}")


def _write(path: str, data: bytes) -> None:
    from redun.file import File

    with File(path).open("wb") as out:
        out.write(data)


def _read(path: str) -> bytes | None:
    """The file's bytes, or None when it does not exist."""
    from redun.file import File

    file = File(path)
    try:
        with file.open("rb") as infile:
            return infile.read()
    except (FileNotFoundError, OSError):
        if file.exists():
            raise
        return None


def write_input(path: str, args: tuple, kwargs: dict) -> None:
    from redun.pickling import pickle_dumps

    _write(path, pickle_dumps((args, kwargs)))


def write_array(paths: JobPaths, children: Sequence[Any]) -> None:
    """The array's input (every child's args) and its per-child path lists.

    ``children`` are :class:`~redun.executors.remote.jobs.RemoteJob` in index order.
    """
    from redun.pickling import pickle_dumps

    args = [child.job.args for child in children]
    kwargs = [child.job.kwargs for child in children]
    _write(paths.input, pickle_dumps((args, kwargs)))
    _write(paths.output, json.dumps([c.paths.output for c in children]).encode())
    _write(paths.error, json.dumps([c.paths.error for c in children]).encode())
    _write(paths.eval_hashes, json.dumps([c.eval_hash for c in children]).encode())


def read_array_hashes(paths: JobPaths) -> list[str] | None:
    data = _read(paths.eval_hashes)
    return None if data is None else list(json.loads(data))


def remove_stale(paths: JobPaths) -> None:
    """Drop an earlier attempt's error so it is never read as this attempt's."""
    from redun.file import File

    error = File(paths.error)
    if error.exists():
        error.remove()


def read_output(paths: JobPaths) -> tuple[bool, Any]:
    """``(True, result)`` when the job wrote its output, else ``(False, None)``."""
    data = _read(paths.output)
    if data is None:
        return False, None
    return True, pickle.loads(data)


def read_error(paths: JobPaths) -> tuple[BaseException, list[str]] | None:
    """The task's own exception and formatted traceback, when the job wrote one."""
    data = _read(paths.error)
    if data is None:
        return None
    try:
        error, trace = pickle.loads(data)
    except Exception as exc:  # an error class the scheduler cannot import
        return RuntimeError(f"cannot read the job's error file {paths.error}: {exc}"), []
    return error, _traceback_lines(error, trace)


def _traceback_lines(error: BaseException, trace: Any) -> list[str]:
    """Formatted lines from an error file's traceback: a ``Traceback`` (upstream's and
    today's format) or the list of lines older releases of this engine wrote."""
    if isinstance(trace, list):
        return [str(line) for line in trace]
    frames = getattr(trace, "frames", None) or []
    logs = [str(line) for line in getattr(trace, "logs", None) or []]
    if not frames:
        return logs
    return [
        "Traceback (most recent call last):\n",
        *tb_module.format_list(frames),
        *tb_module.format_exception_only(type(error), error),
        *logs,
    ]
