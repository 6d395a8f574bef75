"""Tag keys and tag values as people type them (``redun tag add ID env=prod``).

Upstream's public ``redun.tags`` module. Kept free of the database so the CLI, the
console and user code parse and print tags the same way.
"""

from __future__ import annotations

import json
import re
from typing import Any

from redun.errors import UsageError
from redun.text_format import trim_string

VERSION_KEY = "redun.version"
PROJECT_KEY = "project"
DOC_KEY = "doc"
USER_KEY = "user"
CONTEXT_KEY = "redun.context"

ANY_VALUE: Any = object()
"""Stands for "any value" in a bare ``key`` argument (``tag rm ID key``)."""

_LITERALS = {"true": True, "false": False, "null": None}


class TagValueError(UsageError, ValueError):
    """A malformed tag argument (a ``ValueError``, as upstream raises)."""


def str2literal(value_str: str) -> bool | None:
    """A JSON literal (``true``, ``false``, ``null``); anything else is a ``ValueError``."""
    if value_str not in _LITERALS:
        raise ValueError(f"Unknown JSON literal: {value_str}")
    return _LITERALS[value_str]


def parse_tag_value(text: str) -> Any:
    """A tag value typed on the command line: JSON when it looks like JSON, else a string.

    ``3`` is an int, ``1.5`` a float, ``true``/``false``/``null`` literals, ``[..]``,
    ``{..}`` and ``".."`` JSON; anything else (``prod``) is the string itself, and an
    empty value means null, as in upstream redun.
    """
    if not text:
        return None
    if text[0] in '[{"':
        try:
            return json.loads(text)
        except ValueError as exc:
            raise TagValueError(f"malformed JSON tag value '{text}': {exc.msg}") from None
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    return _LITERALS.get(text, text)


def parse_tag_key_value(text: str, value_required: bool = True) -> tuple[str, Any]:
    """Split ``key=value`` (or a bare ``key`` when no value is required)."""
    if "=" not in text:
        if value_required or not text:
            raise TagValueError(f"malformed tag '{text}': expected KEY=VALUE, e.g. env=prod")
        return text, ANY_VALUE
    key, value = text.split("=", 1)
    if not key:
        raise TagValueError(f"malformed tag '{text}': the key before '=' is empty")
    return key, parse_tag_value(value)


def format_tag_value(value: Any) -> str:
    """A value as it would be typed: plain strings bare, everything else as JSON."""
    if (
        isinstance(value, str)
        and not re.search(r"[ ,]", value)
        and isinstance(parse_tag_value(value), str)
    ):
        return value
    return json.dumps(value, sort_keys=True)


def format_tag_key_value(key: str, value: Any, max_length: int = 50) -> str:
    """``key=value`` with each side cut to ``max_length`` characters."""
    key_text = trim_string(key, max_length=max_length)
    return f"{key_text}={trim_string(format_tag_value(value), max_length=max_length)}"
