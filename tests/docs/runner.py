"""Run one page's blocks in order in a sandbox; exit 1 at the first that fails.

Called by test_pages.py as ``python runner.py BLOCKS.json SANDBOX`` so every page gets a
fresh interpreter (redun's task registry and current scheduler are process globals).
Python blocks run in one module namespace, registered in ``sys.modules`` so tasks find
their module's ``redun_namespace`` as they would in a script; each block is saved to a
file first, so ``inspect.getsource`` (task hashing) reads it as it reads user code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import traceback
import types
from pathlib import Path

SHELL_TIMEOUT = 120


def run_python(module: types.ModuleType, block: dict, sandbox: Path) -> None:
    path = sandbox / f"_docs_block_{block['line']}.py"
    path.write_text(block["code"])
    exec(compile(block["code"], str(path), "exec"), module.__dict__)


def run_shell(block: dict, sandbox: Path) -> str:
    proc = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", block["code"]],
        cwd=sandbox,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # one stream, in the order a terminal would show
        text=True,
        timeout=SHELL_TIMEOUT,
    )
    print(proc.stdout, end="")
    if block["fails"] and proc.returncode == 0:
        raise AssertionError("the block is marked `test: fails` but exited 0")
    if not block["fails"] and proc.returncode != 0:
        raise AssertionError(f"exit status {proc.returncode}")
    return proc.stdout


def check_output(block: dict, printed: str | None) -> None:
    from blocks import output_matches

    if printed is None:
        raise AssertionError("a `test: output` block must follow a shell example")
    missing = output_matches(block["code"], printed)
    if missing is not None:
        raise AssertionError(f"the shell example before did not print this line: {missing!r}")


def main(blocks_json: str, sandbox_dir: str) -> int:
    sandbox = Path(sandbox_dir)
    os.chdir(sandbox)
    # The page's Python runs as a script in the sandbox would: its directory first on the
    # path (this runner's own directory, with blocks.py, is there as for any script).
    sys.path.insert(0, str(sandbox))
    module = types.ModuleType("docs_page")
    module.__file__ = str(sandbox / "docs_page.py")
    sys.modules["docs_page"] = module
    printed: str | None = None
    for block in json.loads(Path(blocks_json).read_text()):
        print(f"--- {block['where']} ({block['action']} {block['lang']})", flush=True)
        try:
            if block["action"] == "skip":
                print(f"skipped: {block['skip']}")
            elif block["action"] == "write":
                target = sandbox / block["title"]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(block["code"])
            elif block["action"] == "output":
                check_output(block, printed)
            elif block["lang"] == "python":
                run_python(module, block, sandbox)
            else:
                printed = run_shell(block, sandbox)
        except BaseException:
            sys.stdout.flush()
            print(f"\nexample at {block['where']} failed:", file=sys.stderr)
            traceback.print_exc()
            return 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
