"""The executor contract run against core's executors: local threads, local processes,
and an alias to a local executor."""

from __future__ import annotations

import pytest
from contracts.executor_contract import *  # noqa: F403
from redun.executors.alias import AliasExecutor
from redun.executors.local import LocalExecutor


@pytest.fixture(params=["thread", "process", "alias"])
def executor(request):
    if request.param == "alias":

        def make(name: str):
            return AliasExecutor(name, config={"target": "process"})

        return make
    return lambda name: LocalExecutor(name, config={"mode": request.param})
