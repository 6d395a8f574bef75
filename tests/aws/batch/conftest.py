"""A workflow directory and a Scheduler whose ``batch`` executor is AWS Batch on the
emulator, with scratch in a fresh bucket of the emulator's S3."""

from __future__ import annotations

import importlib
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
FAST = {"job_monitor_interval": "0.1", "job_stale_time": "0.2"}


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding only the workflow module (the code package)."""
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(HERE / "batch_flow.py", work / "batch_flow.py")
    monkeypatch.chdir(work)
    return work


@pytest.fixture
def flow(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The workflow module, imported from the working directory as ``redun run`` would."""
    monkeypatch.syspath_prepend(str(workdir))
    sys.modules.pop("batch_flow", None)
    try:
        yield importlib.import_module("batch_flow")
    finally:
        sys.modules.pop("batch_flow", None)


@pytest.fixture
def batch_config(emulator_bucket: str) -> dict[str, str]:
    """The ``[executors.batch]`` section a user of the emulator writes."""
    return {
        "type": "aws_batch",
        "image": "redun-test-image",
        "queue": "redun-local",
        "s3_scratch": f"s3://{emulator_bucket}/redun",
        **FAST,
    }


@pytest.fixture
def batch_scheduler(tmp_path: Path, flow: Any, batch_config: dict[str, str]) -> Any:
    """``batch_scheduler(**keys)``: a Scheduler with ``[executors.batch]`` plus ``keys``."""
    from redun import Scheduler

    def build(**keys: str) -> Scheduler:
        config = {
            "backend": {"db_uri": f"sqlite:///{tmp_path}/redun.db"},
            "executors.batch": {**batch_config, **keys},
        }
        return Scheduler(config=config)

    return build
