"""The executor contract (tests/contracts/executor_contract.py) run against AWS Batch on
the local emulator: every job a real ``redun oneshot`` process that unpacks the code
package and reads its input from S3 scratch."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from contracts import executor_contract
from contracts.executor_contract import *  # noqa: F403

pytestmark = pytest.mark.slow


@pytest.fixture
def executor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_config: dict[str, str]) -> Any:
    """``executor(name)``: an ``aws_batch`` executor on the emulator, run from a working
    directory whose code package holds the contract's task module."""
    from redun_aws.batch.executor import AWSBatchExecutor

    work = tmp_path / "work"
    (work / "contracts").mkdir(parents=True)
    shutil.copy(executor_contract.__file__, work / "contracts" / "executor_contract.py")
    monkeypatch.chdir(work)
    return lambda name: AWSBatchExecutor(name, config=batch_config)
