"""Every Python and shell example of the user guide runs, page by page.

A page whose example stops working fails here (and so in CI). How blocks are read and
marked is in blocks.py; each page runs in its own interpreter and sandbox (runner.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from blocks import read_blocks  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
RUNNER = Path(__file__).with_name("runner.py")
PAGES = sorted(str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md"))


def blocks_of(page: str) -> list[dict]:
    return [
        {**asdict(block), "action": block.action, "where": block.where}
        for block in read_blocks(DOCS / page, f"docs/{page}")
        if block.action != "prose"
    ]


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_page_examples_run(page: str, tmp_path: Path) -> None:
    blocks = blocks_of(page)
    if not any(b["action"] == "run" for b in blocks):
        pytest.skip(f"docs/{page} has no runnable example")
    sandbox = tmp_path / "sandbox"
    sandbox.mkdir()
    (tmp_path / "blocks.json").write_text(json.dumps(blocks))
    env = dict(os.environ)
    # The `redun` of this interpreter's environment, whatever PATH the suite runs with.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.pop("REDUN_CONFIG", None)
    env["COLUMNS"] = "100"
    proc = subprocess.run(
        [sys.executable, str(RUNNER), str(tmp_path / "blocks.json"), str(sandbox)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    tail = "\n".join(f"{proc.stdout}\n{proc.stderr}".splitlines()[-60:])
    assert proc.returncode == 0, tail


def test_skipped_examples_say_why(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("<!-- test: skip -->\n```python\nx = 1\n```\n")

    with pytest.raises(ValueError, match="needs a reason"):
        read_blocks(page, "page.md")


def test_blocks_are_read_with_their_titles_and_directives(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        '```python title="wf.py"\nA = 1\n```\n\n'
        "<!-- test: skip needs AWS -->\n```sh\nredun run wf.py main\n```\n"
        "<!-- test: fails -->\n```sh\nfalse\n```\n"
        '=== "Tab"\n\n    ```python\n    print(1)\n    ```\n'
        "```text\noutput\n```\n"
    )

    blocks = read_blocks(page, "page.md")

    assert [(b.action, b.lang, b.line) for b in blocks] == [
        ("write", "python", 1),
        ("skip", "sh", 6),
        ("run", "sh", 10),
        ("run", "python", 15),
        ("prose", "text", 18),
    ]
    assert blocks[0].title == "wf.py" and blocks[1].skip == "needs AWS"
    assert blocks[2].fails and blocks[3].code == "print(1)\n"
