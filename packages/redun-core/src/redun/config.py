"""redun.ini: finding it, reading it, interpolating ``${var}`` and validating it.

A config is read once, interpolated and validated, then read-only, so every mistake in a
redun.ini surfaces at load time as a one-line ConfigError naming file, section and key.
Dotted sections (``[executors.batch]``) nest (``config["executors"]["batch"]``); keys are
case-sensitive; values are strings, parsed by their users with :func:`parse_int` & co.
"""

from __future__ import annotations

import configparser
import os
import re
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

from redun.config_values import (  # noqa: F401  (re-exported: redun.config.parse_int & co.)
    KEY_SECTIONS,
    NAMED_SECTIONS,
    Section,
    parse_bool,
    parse_choice,
    parse_float,
    parse_int,
)
from redun.errors import ConfigError, ConfigNotFoundError

REDUN_CONFIG_ENV = "REDUN_CONFIG"
REDUN_CONFIG_DIR = ".redun"
REDUN_INI_FILE = "redun.ini"
DEFAULT_REPO_NAME = "default"
DEFAULT_DB_URI = "sqlite:///redun.db"
# The default db_uri written by early upstream releases; read as DEFAULT_DB_URI.
LEGACY_DEFAULT_DB_URI = "sqlite:///.redun/redun.db"
DEFAULT_REDUN_INI = """\
[backend]
db_uri = {db_uri}

[executors.default]
type = local
max_workers = 20
"""

_VAR = re.compile(r"\$(?:(\$)|\{([^}]*)\})")
_MAX_DEPTH = 10


class Config(Mapping[str, Any]):
    """A read-only, fully interpolated redun.ini as nested mappings of :class:`Section`.

    ``Config({"backend": {"db_uri": "sqlite:///:memory:"}})`` and
    :meth:`Config.from_dict` accept either dotted section names or nested dicts, which is
    how tests and remote executors build configs without a file.
    """

    def __init__(
        self,
        config_dict: Mapping[str, Any] | None = None,
        configdir: str | None = None,
        *,
        source: str | None = None,
    ) -> None:
        self._config_dir = os.path.abspath(configdir) if configdir else None
        self.source = source
        self._sections: dict[str, Any] = {}
        # What was read so far, uninterpolated: upstream's read_* methods add to it.
        self._raw: dict[str, dict[str, str]] = {}
        if config_dict:
            self._merge(_flatten(config_dict))

    def _merge(self, raw: dict[str, dict[str, str]]) -> None:
        for name, values in raw.items():
            self._raw.setdefault(name, {}).update(values)
        merged = {name: dict(values) for name, values in self._raw.items()}
        defaults = merged.pop("DEFAULT", {})
        self._sections = _build(merged, defaults, self.source)

    def read_string(self, string: str) -> None:
        """Add the sections of INI text (later reads override earlier keys), as upstream."""
        self._merge(_parse_ini(string, self.source or "<string>"))

    def read_path(self, filename: str) -> None:
        """Add the sections of an INI file; its directory becomes :attr:`config_dir`."""
        try:
            with open(filename, encoding="utf-8") as infile:
                text = infile.read()
        except OSError as exc:
            raise ConfigError(f"cannot read {filename}: {exc.strerror}") from exc
        self._config_dir = os.path.abspath(os.path.dirname(filename) or ".")
        self.source = filename
        self._merge(_parse_ini(text, filename))

    def read_dict(self, config_dict: Mapping[str, Any]) -> None:
        """Add sections from ``{"section": {...}}`` dicts."""
        self._merge(_flatten(config_dict))

    @classmethod
    def from_dict(cls, config_dict: Mapping[str, Any], config_dir: str | None = None) -> Config:
        """Build a config from ``{"section": {...}}`` or ``{"executors.x": {...}}`` dicts."""
        return cls(config_dict, config_dir)

    @classmethod
    def from_string(
        cls, text: str, source: str | None = None, config_dir: str | None = None
    ) -> Config:
        """Parse INI text; ``source`` names the file in error messages."""
        return cls(_parse_ini(text, source or "<string>"), config_dir, source=source)

    @classmethod
    def from_path(cls, path: str) -> Config:
        """Read an INI file; its directory becomes :attr:`config_dir`."""
        try:
            with open(path, encoding="utf-8") as infile:
                text = infile.read()
        except OSError as exc:
            raise ConfigError(f"cannot read {path}: {exc.strerror}") from exc
        except UnicodeDecodeError as exc:
            raise ConfigError(
                f"{path} is not a text INI file (undecodable byte at offset {exc.start}); "
                "fix it, or move it away and run `redun init` for a fresh one"
            ) from None
        return cls.from_string(text, source=path, config_dir=os.path.dirname(path) or ".")

    @property
    def config_dir(self) -> str | None:
        """The absolute directory the config was read from; None for dict configs."""
        return self._config_dir

    @property
    def configdir(self) -> str:
        """Upstream spelling of :attr:`config_dir`, falling back to the working directory."""
        return self._config_dir or os.getcwd()

    def __getitem__(self, section: str) -> Any:
        return self._sections[section]

    def __iter__(self) -> Iterator[str]:
        return iter(self._sections)

    def __len__(self) -> int:
        return len(self._sections)

    def __repr__(self) -> str:
        return f"Config({self.to_dict()!r}, config_dir={self._config_dir!r})"

    def to_dict(self, replace_config_dir: str | None = None) -> dict[str, dict[str, str]]:
        """Flatten to ``{"dotted.section": {key: value}}``, the input of :meth:`from_dict`.

        ``replace_config_dir`` rewrites paths under this config's directory, so a config
        can be shipped to a machine where the directory lives elsewhere.
        """
        result: dict[str, dict[str, str]] = {}
        old_dir = self._config_dir

        def convert(value: str) -> str:
            if replace_config_dir is not None and old_dir:
                return value.replace(old_dir, replace_config_dir)
            return value

        def walk(prefix: str, node: Mapping[str, Any]) -> None:
            for key, child in node.items():
                name = f"{prefix}.{key}" if prefix else key
                if isinstance(child, Section):
                    result[name] = {k: convert(v) for k, v in child.items()}
                else:
                    walk(name, child)

        walk("", self._sections)
        return result

    get_config_dict = to_dict


def create_config_section(config_dict: Mapping[str, Any] | None = None) -> Section:
    """A standalone section, for building executors and backends in code."""
    return Config({"section": dict(config_dict or {})})["section"]


def _flatten(config_dict: Mapping[str, Any], prefix: str = "") -> dict[str, dict[str, str]]:
    """Turn nested or dotted dicts into ``{"dotted.name": {key: str}}``."""
    flat: dict[str, dict[str, str]] = {}
    for name, body in config_dict.items():
        full = f"{prefix}.{name}" if prefix else str(name)
        if not isinstance(body, Mapping):
            raise ConfigError(f"config section [{full}] must be a mapping, got {body!r}")
        nested = [isinstance(v, Mapping) for v in body.values()]
        if nested and all(nested):
            flat.update(_flatten(body, full))
        elif any(nested):
            raise ConfigError(f"config section [{full}] mixes keys and sub-sections")
        else:
            values = {
                str(k): str(v).lower() if isinstance(v, bool) else str(v) for k, v in body.items()
            }
            flat.setdefault(full, {}).update(values)
    return flat


def _parse_ini(text: str, source: str) -> dict[str, dict[str, str]]:
    """Parse INI text without interpolation; DEFAULT is returned as an ordinary section."""
    parser = configparser.RawConfigParser(default_section="\0no-default\0", strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        parser.read_string(text, source=source)
    except configparser.Error as exc:
        raise ConfigError(_describe_parse_error(exc, source, text)) from exc
    return {name: dict(parser.items(name)) for name in parser.sections()}


def _describe_parse_error(exc: configparser.Error, source: str, text: str) -> str:
    if isinstance(exc, configparser.MissingSectionHeaderError):
        lineno, problem = exc.lineno, f"{exc.line.strip()!r} is outside any section"
    elif isinstance(exc, configparser.DuplicateOptionError):
        lineno, problem = exc.lineno, f"key {exc.option!r} appears twice in [{exc.section}]"
    elif isinstance(exc, configparser.DuplicateSectionError):
        lineno, problem = exc.lineno, f"section [{exc.section}] appears twice"
    elif isinstance(exc, configparser.ParsingError) and exc.errors:
        lineno = exc.errors[0][0]
        line = text.splitlines()[lineno - 1].strip()
        problem = f"cannot parse {line!r}; expected 'key = value' or '[section]'"
    else:  # pragma: no cover - configparser raises nothing else from read_string
        return f"malformed {source}: {exc}"
    return f"malformed {source} line {lineno}: {problem}"


def _build(
    raw: dict[str, dict[str, str]], defaults: dict[str, str], source: str | None
) -> dict[str, Any]:
    """Interpolate every section and nest dotted names into read-only mappings."""
    root: dict[str, Any] = {}
    for name, own in raw.items():
        if any(other.startswith(name + ".") for other in raw):
            if own:
                where = f" in {source}" if source else ""
                raise ConfigError(
                    f"section [{name}]{where} has keys and also sub-sections; "
                    "move the keys into a named section"
                )
            continue
        values = {
            key: _interpolate(value, name, key, raw, defaults, source, 0)
            for key, value in {**defaults, **own}.items()
        }
        *parents, last = name.split(".")
        node = root
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = Section(name, values, frozenset(own), source)
    return _freeze(root)


def _freeze(node: dict[str, Any]) -> dict[str, Any]:
    return {
        key: MappingProxyType(_freeze(child)) if isinstance(child, dict) else child
        for key, child in node.items()
    }


def _interpolate(
    value: str,
    section: str,
    key: str,
    raw: dict[str, dict[str, str]],
    defaults: dict[str, str],
    source: str | None,
    depth: int,
) -> str:
    """Expand ``${var}`` (section, then DEFAULT, then environment) and ``${sec:var}``."""
    if "$" not in value:
        return value
    where = f"{source} " if source else ""
    if depth > _MAX_DEPTH:
        raise ConfigError(
            f"interpolation too deep in {where}[{section}] {key}: check for a ${{var}} cycle"
        )

    def replace(match: re.Match[str]) -> str:
        if match.group(1):
            return "$"
        ref = match.group(2)
        ref_section, _, ref_key = ref.rpartition(":")
        if ref_section:
            if ref_section == "DEFAULT":
                values: dict[str, str] = defaults
            else:
                values = {**defaults, **raw.get(ref_section, {})}
            if ref_key in values:
                return _interpolate(
                    values[ref_key], ref_section, ref_key, raw, defaults, source, depth + 1
                )
        else:
            for values in (raw.get(section, {}), defaults):
                if ref_key in values:
                    return _interpolate(
                        values[ref_key], section, ref_key, raw, defaults, source, depth + 1
                    )
            if ref_key in os.environ:
                return os.environ[ref_key]
        raise ConfigError(
            f"unknown variable ${{{ref}}} in {where}[{section}] {key}: define it in that "
            "section, in [DEFAULT] or as an environment variable"
        )

    if "${" in value and "}" not in value[value.index("${") :]:
        raise ConfigError(f"unclosed '${{' in {where}[{section}] {key}: write $$ for a literal $")
    return _VAR.sub(replace, value)


def find_config_dir(cwd: str | None = None) -> str | None:
    """The nearest ``.redun`` directory in ``cwd`` or one of its parents."""
    base = os.path.abspath(cwd or os.getcwd())
    while True:
        candidate = os.path.join(base, REDUN_CONFIG_DIR)
        if os.path.isdir(candidate):
            return candidate
        parent = os.path.dirname(base)
        if parent == base:
            return None
        base = parent


def get_config_dir(explicit: str | None = None) -> str:
    """Resolve the config dir: ``-c``, then ``$REDUN_CONFIG``, then the nearest ``.redun``.

    Falls back to ``.redun`` in the working directory, which :func:`load_config` creates.
    """
    return explicit or os.environ.get(REDUN_CONFIG_ENV) or find_config_dir() or REDUN_CONFIG_DIR


def write_default_config(config_dir: str, db_uri: str = DEFAULT_DB_URI) -> tuple[str, bool]:
    """Write the template redun.ini unless one exists; return ``(path, created)``."""
    path = os.path.join(config_dir, REDUN_INI_FILE)
    if os.path.exists(path):
        return path, False
    try:
        os.makedirs(config_dir, exist_ok=True)
        with open(path, "x", encoding="utf-8") as out:
            out.write(DEFAULT_REDUN_INI.format(db_uri=db_uri))
    except FileExistsError:
        return path, False
    except OSError as exc:
        raise ConfigError(f"cannot create {path}: {exc.strerror}") from exc
    return path, True


def load_config(config_dir: str, create: bool = True) -> Config:
    """Read and validate ``<config_dir>/redun.ini``.

    The file (and directory) is created from the template when missing and ``create`` is
    true; an explicitly named config dir without a redun.ini is an error instead, since
    silently creating one would hide a typo in ``-c``. ``[repos.default]`` is added,
    pointing at ``config_dir``, as upstream does.
    """
    path = os.path.join(config_dir, REDUN_INI_FILE)
    if not os.path.exists(path):
        if not create:
            raise ConfigNotFoundError(
                f"no redun.ini in {config_dir}: run `redun -c {config_dir} init` or fix "
                "-c/--config (REDUN_CONFIG)"
            )
        write_default_config(config_dir)
    config = Config.from_path(path)
    validate_config(config)
    repos = dict(config.get("repos", {}))
    if DEFAULT_REPO_NAME not in repos:
        repo_dir = {"config_dir": os.path.abspath(config_dir)}
        repos[DEFAULT_REPO_NAME] = Section(f"repos.{DEFAULT_REPO_NAME}", repo_dir, source=path)
        config._sections = {**config._sections, "repos": MappingProxyType(repos)}
    backend = dict(config.get("backend", {}) or {})
    db_uri = backend.get("db_uri")
    if not db_uri or db_uri == LEGACY_DEFAULT_DB_URI:
        # A repository always has a database: redun.db beside redun.ini, as upstream;
        # the default of early releases (relative to the working dir) means the same.
        backend["db_uri"] = DEFAULT_DB_URI
        config._sections = {
            **config._sections,
            "backend": Section("backend", backend, frozenset(backend), source=path),
        }
    return config


# Validation lives in its own module; re-exported here (upstream-style import path).
from redun.config_validation import validate_config  # noqa: E402
