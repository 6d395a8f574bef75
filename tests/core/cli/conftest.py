"""Fixtures shared by the CLI tests: the console entry point, and a clean redun logger."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pytest
from redun.cli.main import main


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture(autouse=True)
def restore_redun_logger():
    """The CLI configures the ``redun`` logger; keep that from leaking into other tests."""
    redun_logger = logging.getLogger("redun")
    handlers, level = list(redun_logger.handlers), redun_logger.level
    yield
    redun_logger.handlers[:] = handlers
    redun_logger.setLevel(level)


@pytest.fixture
def redun(capsys: pytest.CaptureFixture[str]):
    """Run the ``redun`` console entry point; returns exit code, stdout and stderr."""

    def invoke(*argv: str) -> Result:
        try:
            main(list(argv))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return invoke


@pytest.fixture
def script_workdir(tmp_path, monkeypatch: pytest.MonkeyPatch):
    """A fresh working directory holding a workflow script (and ``data.txt``), with no
    REDUN_CONFIG; the script's modules and ``sys.path`` entries are dropped afterwards so
    the next test imports its own copy."""
    import sys

    saved_path = list(sys.path)

    def make(script: str, source: str):
        monkeypatch.chdir(tmp_path)
        monkeypatch.delenv("REDUN_CONFIG", raising=False)
        (tmp_path / script).write_text(source)
        (tmp_path / "data.txt").write_text("a\nb\n")
        return tmp_path

    yield make
    sys.path[:] = saved_path
    for name, module in list(sys.modules.items()):
        if str(getattr(module, "__file__", None) or "").startswith(str(tmp_path)):
            del sys.modules[name]
