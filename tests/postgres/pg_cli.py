"""Running the real `redun` command against a Postgres repository."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REDUN = str(Path(sys.executable).parent / "redun")


def make_repo(path: Path, db_uri: str, extra: str = "") -> Path:
    """A directory with ``.redun/redun.ini`` pointing at ``db_uri``."""
    (path / ".redun").mkdir(parents=True, exist_ok=True)
    (path / ".redun" / "redun.ini").write_text(f"[backend]\ndb_uri = {db_uri}\n{extra}")
    return path


def redun(cwd: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [REDUN, *args], cwd=cwd, capture_output=True, text=True, timeout=120, env=env
    )
