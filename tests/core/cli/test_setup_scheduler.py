"""[scheduler] setup_scheduler, `redun --setup k=v`, and context_file beside redun.ini."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

WORKFLOW = """
from redun import Scheduler, task
from redun.executors.local import LocalExecutor

redun_namespace = "setup_demo"


@task(executor="picked")
def where() -> str:
    return "ran"


def setup_scheduler(config, profile: str = "root", workers: int = 1):
    scheduler = Scheduler(config=config)
    if profile != "account1":
        raise ValueError(f"Unknown profile: {profile}")
    scheduler.add_executor(LocalExecutor("picked", config={"max_workers": str(workers)}))
    with open("setup.txt", "w") as out:
        out.write(f"{profile} {workers + 1}")
    return scheduler
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REDUN_CONFIG", raising=False)
    saved = list(sys.path)
    (tmp_path / "workflow.py").write_text(WORKFLOW)
    (tmp_path / ".redun").mkdir()
    (tmp_path / ".redun" / "redun.ini").write_text(
        "[scheduler]\nsetup_scheduler = workflow::setup_scheduler\n"
    )
    yield tmp_path
    sys.path[:] = saved
    sys.modules.pop("workflow", None)


def test_setup_function_builds_the_scheduler_with_typed_setup_args(project: Path, redun) -> None:
    result = redun(
        "--setup", "profile=account1", "--setup", "workers=3", "run", "workflow.py", "where"
    )
    assert result.code == 0, result.err
    assert result.out.strip() == "'ran'"
    assert (project / "setup.txt").read_text() == "account1 4"
    assert "on picked" in result.err


def test_setup_function_errors_reach_the_user(project: Path, redun) -> None:
    result = redun("run", "workflow.py", "where")
    assert result.code == 1
    assert (
        "redun: error: [scheduler] setup_scheduler setup_scheduler() failed: "
        "ValueError: Unknown profile: root" in result.err
    )


def test_unknown_setup_argument_is_one_line(project: Path, redun) -> None:
    result = redun("--setup", "colour=red", "run", "workflow.py", "where")
    assert result.code == 2
    assert "redun: error: --setup colour: setup_scheduler() takes no such argument" in result.err


def test_setup_args_without_a_setup_function(project: Path, redun) -> None:
    (project / ".redun" / "redun.ini").write_text("[backend]\ndb_uri = sqlite:///redun.db\n")
    result = redun("--setup", "profile=x", "run", "workflow.py", "where")
    assert result.code == 2
    assert "[scheduler] setup_scheduler" in result.err


def test_context_file_is_relative_to_the_config_dir(tmp_path: Path, monkeypatch, redun) -> None:
    config_dir = tmp_path / "conf"
    config_dir.mkdir()
    (config_dir / "context.json").write_text('{"tool": {"param": 7}}')
    (config_dir / "redun.ini").write_text("[scheduler]\ncontext_file = context.json\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "ctx.py").write_text(
        textwrap.dedent(
            """
            from redun import get_context, task
            redun_namespace = "ctx_file_demo"

            @task()
            def main(param: int = get_context("tool.param", 0)) -> int:
                return param
            """
        )
    )
    monkeypatch.chdir(elsewhere)
    saved = list(sys.path)
    try:
        result = redun("-c", str(config_dir), "run", "ctx.py", "main")
    finally:
        sys.path[:] = saved
        sys.modules.pop("ctx", None)
    assert result.code == 0, result.err
    assert result.out.strip() == "7"


def test_context_and_context_file_together_are_refused(project: Path, redun) -> None:
    # Either could win; redun.ini must say which one it means.
    (project / ".redun" / "redun.ini").write_text(
        '[scheduler]\ncontext_file = context.json\ncontext = {"tool": {"param": 1}}\n'
    )
    (project / ".redun" / "context.json").write_text('{"tool": {"param": 2}}')
    result = redun("run", "workflow.py", "where")
    assert result.code == 2
    assert "Both context and context_file specified in config!" in result.err
    assert "Traceback" not in result.err
