"""``redun.pytest``: a workflow project's tests get a ``scheduler`` fixture."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

USER_TESTS = textwrap.dedent(
    """
    from redun import Scheduler, task

    pytest_plugins = ["redun.pytest"]

    redun_namespace = "user_project"

    @task()
    def add(a, b):
        return a + b

    def test_add(scheduler):
        assert isinstance(scheduler, Scheduler)
        assert scheduler.run(add(1, 2)) == 3

    def test_each_test_gets_a_fresh_scheduler(scheduler):
        assert scheduler.backend is not None
    """
)


@pytest.mark.slow
def test_scheduler_fixture_from_pytest_plugins(tmp_path):
    (tmp_path / "test_user.py").write_text(USER_TESTS)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_user.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 passed" in proc.stdout
