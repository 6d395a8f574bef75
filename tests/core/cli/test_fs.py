"""``redun fs``: list file systems; ``redun fs cp`` copies files, stdin and stdout."""

from __future__ import annotations

import io
import sys

import pytest
from redun.cli.main import main


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REDUN_CONFIG", raising=False)
    return tmp_path


@pytest.fixture
def redun(capsysbinary):
    """Run the console entry point: (exit code, stdout bytes, stderr text)."""

    def invoke(*argv: str) -> tuple[int, bytes, str]:
        try:
            main(list(argv))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = capsysbinary.readouterr()
        return code, out, err.decode()

    return invoke


def test_fs_lists_the_local_file_system(workdir, redun):
    code, out, _ = redun("fs")
    assert code == 0
    lines = out.decode().splitlines()
    assert lines[0] == "Supported filesystems:"
    assert {"  local", "  http"} <= set(lines[1:])


def test_fs_cp_copies_a_file(workdir, redun):
    (workdir / "a.txt").write_text("alpha\n")
    code, _, _ = redun("fs", "cp", "a.txt", "b.txt")
    assert code == 0
    assert (workdir / "b.txt").read_text() == "alpha\n"


def test_fs_cp_to_stdout(workdir, redun):
    (workdir / "a.txt").write_bytes(b"\x00bytes\n")
    code, out, _ = redun("fs", "cp", "a.txt", "-")
    assert (code, out) == (0, b"\x00bytes\n")


def test_fs_cp_from_stdin(workdir, redun, monkeypatch):
    fake_stdin = io.TextIOWrapper(io.BytesIO(b"piped\n"))
    monkeypatch.setattr(sys, "stdin", fake_stdin)
    code, _, _ = redun("fs", "cp", "-", "c.txt")
    assert code == 0
    assert (workdir / "c.txt").read_text() == "piped\n"


def test_fs_cp_recursive_copies_a_tree(workdir, redun):
    (workdir / "src/sub").mkdir(parents=True)
    (workdir / "src/sub/x.txt").write_text("x")
    code, _, _ = redun("fs", "cp", "-r", "src", "dest")
    assert code == 0
    assert (workdir / "dest/sub/x.txt").read_text() == "x"


def test_fs_cp_missing_source_is_a_one_line_error(workdir, redun):
    code, _, err = redun("fs", "cp", "missing.txt", "b.txt")
    assert code == 1
    expected = "redun: error: [Errno 2] No such file or directory. missing.txt"
    assert err.strip().splitlines() == [expected]
    assert not (workdir / "b.txt").exists()


def test_fs_cp_recursive_rejects_stdio(workdir, redun):
    code, _, err = redun("fs", "cp", "-r", "-", "dest")
    assert code == 2
    assert "needs real paths" in err
