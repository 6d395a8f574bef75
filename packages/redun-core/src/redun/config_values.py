"""Parsing the string values of redun.ini, with one-line errors naming key and section."""

from __future__ import annotations

from typing import Any

from redun.errors import ConfigError

_BOOLEANS = {"1": True, "yes": True, "true": True, "on": True, "0": False, "no": False}
_BOOLEANS.update({"false": False, "off": False})


def _invalid(key: str, value: Any, section: str, source: str | None, expected: str) -> ConfigError:
    where = f" (in {source})" if source else ""
    return ConfigError(f"invalid {key} {value!r} in [{section}]: expected {expected}{where}")


def parse_int(
    value: Any, key: str, section: str, source: str | None = None, minimum: int | None = None
) -> int:
    """Parse a config value as an integer, failing with a message naming key and section."""
    if isinstance(value, bool):
        raise _invalid(key, value, section, source, "an integer")
    try:
        result = int(str(value).strip())
    except ValueError:
        raise _invalid(key, value, section, source, "an integer") from None
    if minimum is not None and result < minimum:
        raise _invalid(key, value, section, source, f"an integer >= {minimum}")
    return result


def parse_float(value: Any, key: str, section: str, source: str | None = None) -> float:
    """Parse a config value as a float, failing with a message naming key and section."""
    try:
        return float(str(value).strip())
    except ValueError:
        raise _invalid(key, value, section, source, "a number") from None


def parse_bool(value: Any, key: str, section: str, source: str | None = None) -> bool:
    """Parse a config value as a boolean (true/false, yes/no, on/off, 1/0)."""
    if isinstance(value, bool):
        return value
    try:
        return _BOOLEANS[str(value).strip().lower()]
    except KeyError:
        raise _invalid(key, value, section, source, "true or false") from None


def parse_choice(
    value: Any, key: str, section: str, choices: tuple[str, ...], source: str | None = None
) -> str:
    """Check that a config value is one of ``choices``."""
    if value not in choices:
        raise _invalid(key, value, section, source, " or ".join(choices))
    return str(value)


__all__ = ["parse_bool", "parse_choice", "parse_float", "parse_int"]
