"""Running the real ``redun`` command against a test's repository and executor section."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

REDUN = str(Path(sys.executable).parent / "redun")


def write_config(
    directory: Path, section: Mapping[str, str], db: Path | None = None, **sections: Mapping
) -> Path:
    """``directory/.redun/redun.ini`` with ``[executors.batch]`` = ``section`` (and the
    repository ``db``, and any other ``sections``); returns the config directory."""
    config_dir = directory / ".redun"
    config_dir.mkdir(exist_ok=True)
    lines = []
    if db is not None:
        lines += ["[backend]", f"db_uri = sqlite:///{db}", ""]
    for name, values in {"executors.batch": section, **sections}.items():
        lines.append(f"[{name}]")
        lines += [f"{key} = {value}" for key, value in values.items()]
        lines.append("")
    (config_dir / "redun.ini").write_text("\n".join(lines))
    return config_dir


def redun(config_dir: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [REDUN, "-c", str(config_dir), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
