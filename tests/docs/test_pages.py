"""Every Python and shell example of the user guide runs, page by page.

A page whose example stops working fails here (and so in CI). How blocks are read and
marked is in blocks.py; each page runs in its own interpreter and sandbox (runner.py).
A page that says ``<!-- test: s3 -->`` runs with boto3's environment pointed at the test
session's S3 server (SeaweedFS), where the bucket ``my-bucket`` exists, so its examples
read and write ``s3://my-bucket/...`` as a user's would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest
from docs.blocks import S3_MARK, output_matches, read_blocks, runnable_pages

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
RUNNER = Path(__file__).with_name("runner.py")
DOCS_BUCKET = "my-bucket"


def blocks_of(page: str) -> list[dict]:
    return [
        {**asdict(block), "action": block.action, "where": block.where}
        for block in read_blocks(DOCS / page, f"docs/{page}")
        if block.action != "prose"
    ]


def s3_environment(request: pytest.FixtureRequest) -> None:
    """Point boto3 at the session's S3 server (through os.environ) with my-bucket in it."""
    server = request.getfixturevalue("s3_env")
    client = server.client()
    existing = {bucket["Name"] for bucket in client.list_buckets().get("Buckets", [])}
    if DOCS_BUCKET not in existing:
        client.create_bucket(Bucket=DOCS_BUCKET)


@pytest.mark.slow
@pytest.mark.parametrize("page", runnable_pages(DOCS))
def test_page_examples_run(page: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if S3_MARK in (DOCS / page).read_text():
        s3_environment(request)
    sandbox = tmp_path / "sandbox"
    sandbox.mkdir()
    (tmp_path / "blocks.json").write_text(json.dumps(blocks_of(page)))
    env = dict(os.environ)
    # The `redun` of this interpreter's environment, whatever PATH the suite runs with.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.pop("REDUN_CONFIG", None)
    env["COLUMNS"] = "100"
    env["REDUN_USER"] = "alice"  # the user tag the pages show
    # No page reaches a cloud by accident: instance metadata is never asked for credentials.
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    proc = subprocess.run(
        [sys.executable, str(RUNNER), str(tmp_path / "blocks.json"), str(sandbox)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    tail = "\n".join(f"{proc.stdout}\n{proc.stderr}".splitlines()[-60:])
    assert proc.returncode == 0, tail


def test_every_guide_page_has_a_runnable_example() -> None:
    pages = {str(p.relative_to(DOCS)) for p in DOCS.glob("*.md")}

    assert pages and pages <= set(runnable_pages(DOCS))


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


def test_shown_output_is_matched_line_by_line_with_ids_and_times_free() -> None:
    actual = (
        "[redun] Start Execution 80f7321d-c83c-4002-a817-4872cf2bf32e:  redun run hello.py main\n"
        "[redun] Run    Job 8631d0e2:  hello.main(greet='Hello') on default\n"
        "[redun] Execution duration: 0.03 seconds\n"
    )
    shown = (
        "[redun] Start Execution 0bee3d6d-0000-4000-8000-000000000000:  redun run hello.py main\n"
        "...\n"
        "[redun] Execution duration: 0.00 seconds\n"
    )

    assert output_matches(shown, actual) is None
    assert output_matches("[redun] Run    Job 1a2b3c4d:  hello.main() on default", actual) == (
        "[redun] Run    Job 1a2b3c4d:  hello.main() on default"
    )
    # Order matters: the duration line comes after the start line.
    reordered = "[redun] Execution duration: 1.00 seconds\n[redun] Run    Job 8631d0e2:  " + (
        "hello.main(greet='Hello') on default"
    )
    assert output_matches(reordered, actual) is not None
