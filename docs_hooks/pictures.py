"""MkDocs hook: draw the guide's pictures at build time instead of committing binaries.

- ``img/fan-out-callgraph.svg``: ``redun viz`` of examples/03_fan_out_fan_in, run for real
  in a scratch repository (needs Graphviz's ``dot``);
- ``img/console-*.svg``: screens of ``redun console`` over that repository, exported by
  textual (needs the ``console`` extra).

When a tool is missing the page still builds: the picture is replaced by an SVG that says
what to install, and the build log says the same at INFO level (a warning would fail
``mkdocs build --strict`` on a machine that cannot draw, which is not a docs error).
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.pictures")
ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "03_fan_out_fan_in" / "fan_out.py"
# Terminal sizes (columns, rows) of the captured screens.
SIZES = {"executions": (110, 10), "execution": (110, 28)}


def placeholder(message: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="60">'
        '<rect width="640" height="60" fill="#fff3cd" stroke="#c9a227"/>'
        f'<text x="12" y="35" font-family="sans-serif" font-size="14">{message}</text></svg>'
    )


def redun(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run the `redun` of the interpreter running mkdocs, so the docs env's redun draws."""
    command = [sys.executable, "-c", "from redun.cli.main import main; main()", *args]
    env = {**os.environ, "COLUMNS": "100", "REDUN_USER": "alice"}
    env.pop("REDUN_CONFIG", None)
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, check=True)


def record_example(workdir: Path) -> None:
    """Two runs, so the pictures show both kinds of job: the second (n=9) finds its first
    two chunks cached from the first (n=12)."""
    shutil.copy(EXAMPLE, workdir / "fan_out.py")
    redun(["run", "fan_out.py", "main", "--n", "12", "--chunk-size", "4"], workdir)
    redun(["run", "fan_out.py", "main", "--n", "9", "--chunk-size", "4"], workdir)


def call_graph(workdir: Path) -> str:
    if shutil.which("dot") is None:
        log.info("pictures: Graphviz `dot` not found, the call graph is a placeholder")
        return placeholder("Install Graphviz (apt-get install graphviz) to draw this graph.")
    redun(["viz", "-", "-o", "callgraph.svg"], workdir)
    return (workdir / "callgraph.svg").read_text()


def console_screens(workdir: Path) -> dict[str, str]:
    try:
        from redun.backends.db import RedunBackendDb
        from redun.console.app import RedunConsole
        from redun.console.reader import ConsoleReader
        from redun.console.routes import parse_route
    except ImportError:
        log.info("pictures: textual not installed, console screens are placeholders")
        text = placeholder("Install redun-core[console] to capture this screen.")
        return {"executions": text, "execution": text}

    backend = RedunBackendDb(f"sqlite:///{workdir / '.redun' / 'redun.db'}")
    backend.load()
    reader = ConsoleReader(backend)
    execution_id = reader.executions(["DONE"])[0].id  # the latest: n=9

    async def shoot(argv: list[str], size: tuple[int, int]) -> str:
        app = RedunConsole(reader, parse_route(argv))
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            return app.export_screenshot()

    try:
        return {
            "executions": asyncio.run(shoot(["executions"], SIZES["executions"])),
            "execution": asyncio.run(shoot([f"executions/{execution_id}"], SIZES["execution"])),
        }
    finally:
        backend.close()


def on_files(files: Files, config) -> Files:
    with tempfile.TemporaryDirectory(prefix="redun-docs-") as tmp:
        workdir = Path(tmp)
        record_example(workdir)
        pictures = {"img/fan-out-callgraph.svg": call_graph(workdir)}
        for name, svg in console_screens(workdir).items():
            pictures[f"img/console-{name}.svg"] = svg
    for path, content in pictures.items():
        files.append(File.generated(config, path, content=content))
    return files
