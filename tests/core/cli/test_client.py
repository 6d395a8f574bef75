"""RedunClient: the redun command run in-process, as upstream's tests and users drive it."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from redun.backends.db import Execution
from redun.cli import RedunClient, RedunClientError
from redun.errors import RedunError

WORKFLOW = """
from redun import task
redun_namespace = "client_demo"

@task()
def add(a: int, b: int) -> int:
    return a + b

@task()
def boom(x: int) -> int:
    raise ValueError(f"boom {x}")
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REDUN_CONFIG", raising=False)
    (tmp_path / "wf.py").write_text(WORKFLOW)
    saved = list(sys.path)
    yield tmp_path
    sys.path[:] = saved
    sys.modules.pop("wf", None)


def test_execute_returns_the_result_and_keeps_the_scheduler(project: Path) -> None:
    client = RedunClient(stdout=io.StringIO())
    assert client.execute(["redun", "run", "wf.py", "add", "--a", "1", "--b", "2"]) == 3
    assert client.stdout.getvalue() == "3\n"
    session = client.scheduler.backend.session
    assert session.query(Execution).one().job.call_node.value_parsed == 3


def test_a_failing_workflow_raises_the_tasks_exception(project: Path) -> None:
    client = RedunClient(stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(ValueError, match="boom 3"):
        client.execute(["redun", "run", "wf.py", "boom", "--x", "3"])


def test_other_commands_write_to_client_stdout(project: Path) -> None:
    client = RedunClient(stdout=io.StringIO())
    client.execute(["redun", "run", "wf.py", "add", "--a", "1", "--b", "2"])
    client.stdout = io.StringIO()
    client.execute(["redun", "log"])
    assert "run wf.py add --a 1 --b 2" in client.stdout.getvalue()
    assert client.get_session().query(Execution).count() == 1


def test_the_execution_records_the_clients_command_line(project: Path) -> None:
    client = RedunClient(stdout=io.StringIO())
    client.execute(["redun", "--repo", "default", "run", "wf.py", "add", "--a", "1", "--b", "2"])
    execution = client.scheduler.backend.session.query(Execution).one()
    assert (
        execution.args
        == '["redun", "--repo", "default", "run", "wf.py", "add", "--a", "1", "--b", "2"]'
    )


def test_a_bad_command_is_a_client_error(project: Path) -> None:
    client = RedunClient(stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(RedunError, match="no_such_task"):
        client.execute(["redun", "run", "wf.py", "no_such_task"])
    with pytest.raises(RedunClientError, match="No such command"):
        client.execute(["redun", "no-such-command"])


def test_oneshot_raises_the_tasks_exception(project: Path) -> None:
    client = RedunClient(stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(ValueError, match="boom 4"):
        client.execute(["redun", "oneshot", "wf", "boom", "--x", "4"])
    assert client.execute(["redun", "oneshot", "wf", "add", "--a", "2", "--b", "5"]) == 7


def test_a_script_that_raises_on_import_raises_its_own_exception(project: Path) -> None:
    (project / "broken.py").write_text("raise LookupError('no reference genome')\n")
    client = RedunClient(stdout=io.StringIO(), stderr=io.StringIO())
    try:
        with pytest.raises(LookupError, match="no reference genome"):
            client.execute(["redun", "run", "broken.py", "main"])
    finally:
        sys.modules.pop("broken", None)
