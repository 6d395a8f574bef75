"""Console paths: ``executions/<id> --status FAILED`` <-> which screen, which filters.

Every screen has a path, and its header shows the command that reopens it
(``redun console executions/1a2b... --status FAILED``), so a view can be shared or
scripted. Parsing is strict: an option a screen does not take is a one-line error.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from typing import NamedTuple

from redun.errors import UsageError

# screen -> path pattern (the group is the record id).
PATTERNS = {
    "executions": re.compile(r"^executions/?$"),
    "execution": re.compile(r"^executions/([^/]+)$"),
    "job": re.compile(r"^jobs/([^/]+)$"),
    "value": re.compile(r"^values/([^/]+)$"),
    "task": re.compile(r"^tasks/([^/]+)$"),
    "search": re.compile(r"^search/?$"),
}
PREFIXES = {
    "executions": "executions",
    "execution": "executions/",
    "job": "jobs/",
    "value": "values/",
    "task": "tasks/",
    "search": "search",
}
# screen -> options it takes; each option may repeat and may hold comma-separated values.
OPTIONS: dict[str, tuple[str, ...]] = {
    "executions": ("find", "status"),
    "execution": ("find", "status", "task", "job"),
    "job": (),
    "value": (),
    "task": (),
    "search": ("find",),
}
# A path that is none of the above is an id to resolve (``-``, ``~2``, a prefix).
ID = "id"


class Route(NamedTuple):
    """One console location: a screen, the record it shows, and its filters."""

    screen: str
    record_id: str | None = None
    options: tuple[tuple[str, str], ...] = ()

    @property
    def path(self) -> str:
        if self.screen == ID:
            return self.record_id or ""
        return PREFIXES[self.screen] + (self.record_id or "")

    def values(self, name: str) -> list[str]:
        """Every value given for an option, comma-separated lists split."""
        found = []
        for key, value in self.options:
            if key == name:
                found.extend(part.strip() for part in value.split(",") if part.strip())
        return found

    def value(self, name: str) -> str:
        values = self.values(name)
        return values[-1] if values else ""

    def argv(self) -> list[str]:
        argv = [self.path]
        for key, value in self.options:
            argv.extend([f"--{key}", value])
        return argv

    def command(self) -> str:
        """The shell command that opens this view."""
        return "redun console " + shlex.join(self.argv())

    def with_options(self, options: Sequence[tuple[str, str]]) -> Route:
        return self._replace(options=tuple(options))


def parse_options(screen: str, argv: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """``--key value`` / ``--key=value`` pairs, checked against what ``screen`` takes."""
    allowed = OPTIONS.get(screen, ())
    options: list[tuple[str, str]] = []
    items = list(argv)
    while items:
        item = items.pop(0)
        if not item.startswith("--"):
            raise UsageError(f"unexpected argument '{item}' in console path; use --find TEXT")
        key, sep, value = item[2:].partition("=")
        if key not in allowed:
            takes = ", ".join(f"--{name}" for name in allowed) or "no options"
            raise UsageError(f"console screen '{screen}' has no option --{key} (takes {takes})")
        if not sep:
            if not items:
                raise UsageError(f"console option --{key} needs a value")
            value = items.pop(0)
        options.append((key, value))
    return tuple(options)


def parse_route(argv: Sequence[str]) -> Route:
    """A route from ``redun console`` arguments: an optional path, then options."""
    argv = list(argv)
    path = "executions"
    if argv and not argv[0].startswith("--"):
        path = argv.pop(0)
    for screen, pattern in PATTERNS.items():
        match = pattern.match(path)
        if match:
            record_id = match.group(1) if match.groups() else None
            return Route(screen, record_id, parse_options(screen, argv))
    if "/" in path:
        known = ", ".join(["executions", "executions/ID", "jobs/ID", "values/ID", "tasks/ID"])
        raise UsageError(f"unknown console path '{path}' (known: {known}, search, or an id)")
    return Route(ID, path, parse_options("execution", argv))


def parse_filter(screen: str, text: str) -> tuple[tuple[str, str], ...]:
    """Options typed into a screen's filter box: ``--status FAILED`` or plain words to find."""
    text = text.strip()
    if not text:
        return ()
    if text.startswith("--"):
        return parse_options(screen, shlex.split(text))
    return (("find", text),)


def format_options(options: Sequence[tuple[str, str]]) -> str:
    """Options as they would be typed again into a filter box."""
    return shlex.join([part for key, value in options for part in (f"--{key}", value)])
