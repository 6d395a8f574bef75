"""The error file a remote job's oneshot leaves in scratch, read back by the scheduler."""

from __future__ import annotations

import pickle
from pathlib import Path

from redun.cli.oneshot import write_error
from redun.executors.remote.scratch import JobPaths, read_error


def _raise(message: str) -> None:
    raise KeyError(message)


def test_error_written_by_oneshot_reads_back_with_its_frames(tmp_path: Path) -> None:
    try:
        _raise("missing sample")
    except KeyError as error:
        write_error(str(tmp_path / "error"), error, ["unused\n"])
    error, lines = read_error(JobPaths(str(tmp_path)))
    assert isinstance(error, KeyError)
    text = "".join(lines)
    assert text.startswith("Traceback (most recent call last):")
    assert "raise KeyError(message)" in text
    assert text.rstrip().endswith("KeyError: 'missing sample'")


def test_error_file_of_an_older_release_still_reads(tmp_path: Path) -> None:
    # Before matching upstream's (error, Traceback), the second item was a list of lines.
    legacy = (ValueError("bad"), ["Traceback (most recent call last):\n", "ValueError: bad\n"])
    (tmp_path / "error").write_bytes(pickle.dumps(legacy))
    error, lines = read_error(JobPaths(str(tmp_path)))
    assert isinstance(error, ValueError)
    assert lines == list(legacy[1])
