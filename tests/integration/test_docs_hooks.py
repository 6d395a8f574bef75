"""docs/extending/hooks.md and redun.plugins.hookspecs describe the same hooks.

Plugin authors read the page, pluggy enforces the module; when they drift, a plugin
written from the page fails to register. Each hook is a ``## `name(args)` `` heading.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from redun.plugins import hookspecs

DOCS = Path(__file__).resolve().parents[2] / "docs" / "extending"
HEADING = re.compile(r"^#{2,3} `(redun_\w+)\(([^)]*)\)`\s*$", re.MULTILINE)
MENTION = re.compile(r"\b(redun_[a-z_]+)\(")


def documented_hooks(text: str) -> dict[str, list[str]]:
    """Hook name -> argument names, from the ``## `redun_x(a, b)` `` headings of a page."""
    hooks: dict[str, list[str]] = {}
    for name, args in HEADING.findall(text):
        assert name not in hooks, f"docs/extending/hooks.md documents {name} twice"
        hooks[name] = [arg.split(":")[0].strip() for arg in args.split(",") if arg.strip()]
    return hooks


def specified_hooks() -> dict[str, list[str]]:
    """Hook name -> argument names, from the functions pluggy knows as hookspecs."""
    return {
        name: list(inspect.signature(function).parameters)
        for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(function, "redun_spec")
    }


DOCUMENTED = documented_hooks((DOCS / "hooks.md").read_text())
SPECIFIED = specified_hooks()


def test_hookspecs_are_found() -> None:
    assert SPECIFIED, "no hookspecs found"


@pytest.mark.parametrize("name", sorted(SPECIFIED))
def test_hook_is_documented_with_its_arguments(name: str) -> None:
    """One test per hook, so a report names the hook that drifted."""
    assert name in DOCUMENTED, f"{name} has no section in docs/extending/hooks.md"
    assert DOCUMENTED[name] == SPECIFIED[name], (
        f"docs/extending/hooks.md gives {name} the arguments {DOCUMENTED[name]}, "
        f"the hookspec takes {SPECIFIED[name]}"
    )


@pytest.mark.parametrize("name", sorted(set(DOCUMENTED) - set(SPECIFIED)) or ["(none)"])
def test_documented_hook_exists(name: str) -> None:
    assert name == "(none)", f"docs/extending/hooks.md documents {name}, which is no hookspec"


def test_the_docs_mention_no_hook_that_does_not_exist() -> None:
    specified = specified_hooks()
    for page in ("hooks.md", "plugins.md"):
        mentioned = set(MENTION.findall((DOCS / page).read_text()))
        assert mentioned <= set(specified), f"docs/{page} names unknown hooks: {mentioned}"


def test_the_heading_parser_reads_names_and_arguments() -> None:
    text = "# Title\n## `redun_a()`\nbody\n### `redun_b(job, scheduler: Scheduler)`\n"

    assert documented_hooks(text) == {"redun_a": [], "redun_b": ["job", "scheduler"]}
