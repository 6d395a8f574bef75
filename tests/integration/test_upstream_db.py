"""A repository written by upstream redun 0.44.1 opens here with its cache hits intact."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

FIXTURE = Path(__file__).parent.parent / "core" / "backends" / "data" / "upstream-0.44.1-hello.db"

# Byte-identical to the workflow upstream ran to write the fixture: task hashes cover source.
HELLO = """from redun import task, File
redun_namespace = "hello"
@task()
def get_planet(): return "World"
@task()
def greeter(greet: str, thing: str): return f"{greet}, {thing}!"
@task()
def main(greet: str = "Hello"): return greeter(greet, get_planet())
"""


def test_upstream_cache_is_reused(tmp_path: Path) -> None:
    (tmp_path / ".redun").mkdir()
    shutil.copy(FIXTURE, tmp_path / ".redun" / "redun.db")
    (tmp_path / ".redun" / "redun.ini").write_text("[backend]\ndb_uri = sqlite:///redun.db\n")
    (tmp_path / "hello.py").write_text(HELLO)
    redun = Path(sys.executable).parent / "redun"
    result = subprocess.run(
        [str(redun), "run", "hello.py", "main"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "'Hello, World!'"
    assert result.stderr.count("Cached Job") == 3, result.stderr
    assert "Run    Job" not in result.stderr
