"""Glob patterns over S3 keys, matched against one listing.

S3 has no directories, so a pattern is answered by listing the keys under its literal
prefix (the part before the first wildcard) and matching each key with a regular
expression: ``*`` and ``?`` stay within one path segment, ``**`` spans any depth
(``a/**/b`` also matches ``a/b``), ``[...]`` is a character class. Directories implied
by keys are matched too, as ``glob.glob`` returns directories on local disk.
"""

from __future__ import annotations

import re

_WILDCARDS = "*?["


def literal_prefix(pattern: str) -> str:
    """The part of ``pattern`` before its first wildcard."""
    positions = [pattern.find(char) for char in _WILDCARDS if char in pattern]
    return pattern[: min(positions)] if positions else pattern


def has_wildcard(pattern: str) -> bool:
    return any(char in pattern for char in _WILDCARDS)


def needs_deep_listing(pattern: str) -> bool:
    """Whether matches may lie more than one segment below the literal prefix."""
    rest = pattern[len(literal_prefix(pattern)) :]
    return "**" in rest or "/" in rest


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """A regular expression matching exactly the keys ``pattern`` names."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif char == "*":
            out.append("[^/]*")
            i += 1
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "[":
            end = pattern.find("]", i + 2)
            if end < 0:
                out.append(re.escape(char))
                i += 1
                continue
            body = pattern[i + 1 : end]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append(f"[{body.replace(chr(92), chr(92) * 2)}]")
            i = end + 1
        else:
            out.append(re.escape(char))
            i += 1
    return re.compile("".join(out) + r"\Z", re.DOTALL)


def implied_dirs(key: str, prefix: str) -> list[str]:
    """The directories (without trailing ``/``) that ``key`` implies below ``prefix``."""
    dirs = []
    start = len(prefix)
    while True:
        slash = key.find("/", start)
        if slash < 0:
            return dirs
        if slash > 0:
            dirs.append(key[:slash])
        start = slash + 1
