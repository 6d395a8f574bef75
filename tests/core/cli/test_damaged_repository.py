"""A damaged or unusual repository gets one line saying what is wrong and what to do,
never a traceback; a repository the user may not write stays readable."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

WORKFLOW = """
from redun import task

@task()
def add(a: int, b: int) -> int:
    return a + b

@task()
def main(n: int = 3) -> list:
    return [add(i, 1) for i in range(n)]
"""

# What a process loses when root drops the capabilities that bypass file permissions:
# without this the read-only tests would pass trivially for root (CI runs as root).
DROP_ROOT_OVERRIDES = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner"]


def redun(cwd: Path, *args: str, read_only_user: bool = False) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "redun.cli.main", *args]
    if read_only_user and os.geteuid() == 0:
        command = DROP_ROOT_OVERRIDES + ["--"] + command
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDUN_")}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, timeout=120)


def error_lines(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("redun: error:")]


def assert_one_line_error(result: subprocess.CompletedProcess, *phrases: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    (line,) = error_lines(result)
    for phrase in phrases:
        assert phrase in line


@pytest.fixture(scope="module")
def recorded_repo(tmp_path_factory) -> Path:
    """A project whose .redun holds one recorded execution of 40 jobs."""
    root = tmp_path_factory.mktemp("recorded")
    (root / "wf.py").write_text(WORKFLOW)
    result = redun(root, "run", "wf.py", "main", "--n", "40")
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def project(recorded_repo: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(recorded_repo, copy)
    return copy


@pytest.mark.parametrize(
    ("fraction", "command"),
    [
        (0.5, ["run", "wf.py", "main"]),
        (0.5, ["log"]),
        (0.5, ["log", "-"]),
        (0.1, ["run", "wf.py", "main"]),
        (0.9, ["run", "wf.py", "main"]),
    ],
)
def test_a_truncated_database_is_a_one_line_error(project, fraction, command) -> None:
    db = project / ".redun" / "redun.db"
    os.truncate(db, int(db.stat().st_size * fraction))

    result = redun(project, *command)

    assert_one_line_error(result, str(db), "is damaged", "restore it from a backup")


def test_a_db_uri_that_is_not_a_uri_is_a_one_line_config_error(project) -> None:
    (project / ".redun" / "redun.ini").write_text("[backend]\ndb_uri = not a uri at all\n")

    for command in (["run", "wf.py", "main"], ["log"]):
        result = redun(project, *command)

        assert result.returncode == 2
        assert_one_line_error(result, "db_uri 'not a uri at all'", "sqlite:///redun.db")


def test_a_binary_redun_ini_is_a_one_line_config_error(project) -> None:
    ini = project / ".redun" / "redun.ini"
    ini.write_bytes(bytes(range(256)) * 4)

    for command in (["run", "wf.py", "main"], ["log"]):
        result = redun(project, *command)

        assert result.returncode == 2
        assert_one_line_error(result, str(ini), "not a text INI file", "redun init")


def test_an_unknown_key_in_a_known_section_is_a_warning_naming_the_known_keys(project) -> None:
    (project / ".redun" / "redun.ini").write_text(
        textwrap.dedent(
            """
            [backend]
            db_uri = sqlite:///redun.db
            db_urii = sqlite:///other.db
            [scheduler]
            job_status_intervl = 5
            """
        )
    )

    result = redun(project, "run", "wf.py", "main")

    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "unknown key" in line]
    assert len(warnings) == 2
    assert "'db_urii' in [backend]" in warnings[0] and "db_uri," in warnings[0]
    assert "'job_status_intervl' in [scheduler]" in warnings[1]
    assert "job_status_interval" in warnings[1]


def tree_digest(path: Path) -> dict[str, str]:
    return {
        str(item.relative_to(path)): hashlib.sha256(item.read_bytes()).hexdigest()
        for item in sorted(path.rglob("*"))
        if item.is_file()
    }


@pytest.fixture
def read_only_project(project: Path):
    redun_dir = project / ".redun"
    for item in [*redun_dir.iterdir(), redun_dir]:
        item.chmod(0o555 if item.is_dir() else 0o444)
    before = tree_digest(redun_dir)
    yield project
    assert tree_digest(redun_dir) == before, "a read-only repository was written"
    redun_dir.chmod(0o755)


def test_a_read_only_repository_stays_readable_by_redun_log(read_only_project) -> None:
    listing = redun(read_only_project, "log", read_only_user=True)
    jobs = redun(read_only_project, "log", "-", read_only_user=True)

    assert listing.returncode == 0, listing.stderr
    assert "[ DONE ]" in listing.stdout and "run wf.py main --n 40" in listing.stdout
    assert jobs.returncode == 0, jobs.stderr
    assert jobs.stdout.count("add(") == 40


CONSOLE_SCRIPT = """
import asyncio
from redun.cli.state import CliState
from redun.console.app import RedunConsole
from redun.console.reader import ConsoleReader
from redun.console.routes import parse_route

async def main():
    app = RedunConsole(ConsoleReader(CliState().backend()), parse_route([]))
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#executions-table")
        for i in range(table.row_count):
            print(" ".join(str(cell).strip() for cell in table.get_row_at(i)))

asyncio.run(main())
"""


def test_a_read_only_repository_stays_readable_by_the_console(read_only_project) -> None:
    pytest.importorskip("textual")
    script = read_only_project / "console_probe.py"
    script.write_text(CONSOLE_SCRIPT)
    command = [sys.executable, str(script)]
    if os.geteuid() == 0:
        command = DROP_ROOT_OVERRIDES + ["--"] + command

    result = subprocess.run(
        command, cwd=read_only_project, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr
    assert "DONE" in result.stdout and "main" in result.stdout


def test_a_run_in_a_read_only_repository_is_a_one_line_error(read_only_project) -> None:
    result = redun(read_only_project, "run", "wf.py", "main", "--n", "41", read_only_user=True)

    assert_one_line_error(result, "is read-only", "fix the permissions")
