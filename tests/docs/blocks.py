"""Fenced code blocks of the user guide, read the way the tests run them.

A page is a little notebook: its blocks run in order, in one sandbox directory, in one
Python process. What a block is decides what happens to it:

- a block with ``title="path"`` (any language) is written to that path in the sandbox;
  a titled ``python`` file is not executed, workflows in it run through ``redun run``;
- an untitled ``python`` block runs in the page's namespace (state carries over);
- an untitled ``sh`` block runs with ``bash -e`` and must exit 0;
- any other block (``text``, ``ini`` without a title, ``dot``...) is prose.

An HTML comment on the line before a block changes that: ``<!-- test: skip REASON -->``
leaves it out (the reason is required and shows in the report), and
``<!-- test: fails -->`` expects a shell block to exit non-zero (error examples), and
``<!-- test: output -->`` before a ``text`` block checks it against what the shell block
before it printed (see ``output_matches``).
A page containing ``<!-- test: s3 -->`` runs against the test session's S3 server.

``python tests/docs/blocks.py`` prints, per page, how many examples run and how many
are skipped (with their reasons).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<lang>[\w+-]*)(?P<attrs>.*)$")
TITLE = re.compile(r'title="(?P<title>[^"]+)"')
DIRECTIVE = re.compile(
    r"^\s*<!--\s*test:\s*(?P<verb>skip|fails|output)\b\s*(?P<reason>.*?)\s*-->\s*$"
)
RUNNABLE = {"python", "sh"}
S3_MARK = "<!-- test: s3 -->"


@dataclass(frozen=True)
class Block:
    """One fenced block: where it is, what it holds, and what the tests do with it."""

    page: str
    line: int
    lang: str
    title: str | None
    code: str
    skip: str | None = None
    fails: bool = False
    output: bool = False

    @property
    def action(self) -> str:
        if self.title:
            return "write"
        if self.skip is not None:
            return "skip"
        if self.output:
            return "output"
        if self.lang in RUNNABLE:
            return "run"
        return "prose"

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"


def read_blocks(path: Path, name: str) -> list[Block]:
    """Every fenced block of a Markdown page, with the directive that precedes it."""
    lines = path.read_text().splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        indent, fence = match["indent"], match["fence"]
        title = TITLE.search(match["attrs"])
        directive = DIRECTIVE.match(lines[i - 1]) if i else None
        if directive and directive["verb"] == "skip" and not directive["reason"]:
            raise ValueError(f"{name}:{i}: `test: skip` needs a reason")
        body: list[str] = []
        j = i + 1
        while j < len(lines) and lines[j].strip() != fence:
            body.append(lines[j][len(indent) :] if lines[j].startswith(indent) else lines[j])
            j += 1
        blocks.append(
            Block(
                page=name,
                line=i + 1,
                lang=match["lang"],
                title=title["title"] if title else None,
                code="\n".join(body) + "\n",
                skip=directive["reason"] if directive and directive["verb"] == "skip" else None,
                fails=bool(directive and directive["verb"] == "fails"),
                output=bool(directive and directive["verb"] == "output"),
            )
        )
        i = j + 1
    return blocks


def runnable_pages(docs: Path) -> list[str]:
    """Pages (relative to ``docs``) with at least one example that runs."""
    return sorted(
        str(path.relative_to(docs))
        for path in docs.rglob("*.md")
        if any(block.action == "run" for block in read_blocks(path, str(path)))
    )


def main() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs"
    total = 0
    for path in sorted(docs.rglob("*.md")):
        blocks = read_blocks(path, str(path.relative_to(docs)))
        runs = sum(block.action == "run" for block in blocks)
        files = sum(block.action == "write" for block in blocks)
        outputs = sum(block.action == "output" for block in blocks)
        skips = [block for block in blocks if block.action == "skip"]
        if runs or skips:
            total += runs
            name = path.relative_to(docs)
            print(
                f"{name}: {runs} run, {outputs} outputs checked, {files} files written, "
                f"{len(skips)} skipped"
            )
            for block in skips:
                print(f"    skipped {block.where}: {block.skip}")
    print(f"total: {total} examples run")


if __name__ == "__main__":
    main()


# What differs between two runs of the same example: ids, hashes, times, durations, paths.
_VOLATILE = [
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uuid>"),
    (re.compile(r"\b[0-9a-f]{8,40}\b"), "<hash>"),
    (re.compile(r"\d{4}[-/]\d{2}[-/]\d{2} \d{2}:\d{2}:\d{2}"), "<time>"),
    (re.compile(r"\d+\.\d+ seconds"), "<n> seconds"),
    (re.compile(r"\d+:\d{2}:\d{2}\.\d+"), "<duration>"),
    (re.compile(r"(config dir|db uri):.*"), r"\1: <path>"),
]


def normalize(line: str) -> str:
    for pattern, replacement in _VOLATILE:
        line = pattern.sub(replacement, line)
    return line.rstrip()


def output_matches(expected: str, actual: str) -> str | None:
    """None when every line of ``expected`` appears in ``actual`` in order, else the first
    line that does not. A ``...`` line stands for any lines; ids, hashes, times,
    durations and the config path may differ (see ``_VOLATILE``)."""
    actual_lines = [normalize(line) for line in actual.splitlines()]
    position = 0
    for line in expected.splitlines():
        if line.strip() in ("", "..."):
            continue
        wanted = normalize(line)
        try:
            position = actual_lines.index(wanted, position) + 1
        except ValueError:
            return line
    return None
