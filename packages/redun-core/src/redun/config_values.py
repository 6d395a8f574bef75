"""The sections of redun.ini and the parsing of their string values.

Errors are one line naming the key, section and file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from redun.errors import ConfigError

# The words every boolean setting, option and argument of redun accepts, in any case.
_BOOLEANS = {"1": True, "yes": True, "true": True, "on": True, "0": False, "no": False}
_BOOLEANS.update({"false": False, "off": False})
BOOLEAN_WORDS = "true/false, yes/no, on/off or 1/0"


def to_bool(value: Any) -> bool | None:
    """The boolean that ``value`` spells (``BOOLEAN_WORDS``, any case), or None for other
    text: the one reading of booleans that config, command-line and task arguments share."""
    if isinstance(value, bool):
        return value
    return _BOOLEANS.get(str(value).strip().lower())


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
    result = to_bool(value)
    if result is None:
        raise _invalid(key, value, section, source, "true or false")
    return result


def parse_choice(
    value: Any, key: str, section: str, choices: tuple[str, ...], source: str | None = None
) -> str:
    """Check that a config value is one of ``choices``."""
    if value not in choices:
        raise _invalid(key, value, section, source, " or ".join(choices))
    return str(value)


# Top-level sections that hold keys, and those that hold named sub-sections.
KEY_SECTIONS = ("backend", "limits", "scheduler", "tags")
NAMED_SECTIONS = ("executors", "federated_tasks", "repos")


class Section(Mapping[str, str]):
    """One read-only ``[section]`` of a config: its own keys plus those of ``[DEFAULT]``.

    ``getint``/``getboolean``/``getfloat`` mirror configparser's section proxies (which
    upstream code calls) but fail with a ConfigError naming the section and file.
    """

    def __init__(
        self,
        name: str,
        values: Mapping[str, str],
        own_keys: frozenset[str] | None = None,
        source: str | None = None,
    ) -> None:
        self.name = name
        self.source = source
        self._values = dict(values)
        self.own_keys = frozenset(self._values) if own_keys is None else own_keys

    def __getitem__(self, key: str) -> str:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Section({self.name!r}, {self._values!r})"

    def getint(self, key: str, default: int | None = None) -> int | None:
        """The integer value of ``key``, or ``default`` when it is absent."""
        return default if key not in self else parse_int(self[key], key, self.name, self.source)

    def getfloat(self, key: str, default: float | None = None) -> float | None:
        """The float value of ``key``, or ``default`` when it is absent."""
        return default if key not in self else parse_float(self[key], key, self.name, self.source)

    def getboolean(self, key: str, default: bool | None = None) -> bool | None:
        """The boolean value of ``key`` (true/false, yes/no, on/off, 1/0), or ``default``."""
        return default if key not in self else parse_bool(self[key], key, self.name, self.source)


__all__ = [
    "BOOLEAN_WORDS",
    "KEY_SECTIONS",
    "NAMED_SECTIONS",
    "Section",
    "parse_bool",
    "parse_choice",
    "parse_float",
    "parse_int",
    "to_bool",
]
