"""A pytest fixture for testing workflows: ``scheduler``, with an in-memory database.

Enable it in a test suite's ``conftest.py`` with ``pytest_plugins = ["redun.pytest"]``
(as upstream; it is not auto-registered, so it never shadows a project's own
``scheduler`` fixture).
"""

from __future__ import annotations

import pytest

from redun.scheduler import Scheduler


@pytest.fixture
def scheduler() -> Scheduler:
    """A fresh Scheduler per test, recording into in-memory SQLite.

    Each test gets an empty cache, so results never leak between tests.
    """
    return Scheduler()
