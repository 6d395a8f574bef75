"""`redun repo add|list|remove`: name other repositories for push, pull and ``--repo``.

A repository is a ``[repos.NAME] config_dir = DIR`` section of the current redun.ini.
Edits are made on the file's text, never by rewriting it through a parser, so comments
and layout survive; ``repo remove`` really removes the section (upstream only prints
instructions to do it by hand).
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

import click

from redun.cli.state import get_state
from redun.errors import UsageError

if TYPE_CHECKING:
    from redun.backends.base import RedunBackend
    from redun.config import Config

DEFAULT_REPO = "default"
_SECTION = re.compile(r"^\s*\[([^\]]+)\]\s*$")
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


def _ini_path() -> str:
    from redun.config import REDUN_INI_FILE

    return os.path.join(get_state().config_dir(), REDUN_INI_FILE)


def _base_config() -> Config:
    from redun.config import load_config

    state = get_state()
    return load_config(state.config_dir(), create=not state.config_option)


def repo_dirs(config: Config) -> dict[str, str]:
    """Repository name -> config dir, as declared in ``config`` (``default`` included)."""
    repos = config.get("repos", {})
    return {name: section.get("config_dir", "") for name, section in repos.items()}


def load_repo_config(name: str) -> Config:
    """The config of the repository ``name`` declared in the current redun.ini."""
    from redun.config import load_config

    dirs = repo_dirs(_base_config())
    if name not in dirs:
        known = ", ".join(sorted(dirs)) or "none"
        raise UsageError(
            f"unknown repository '{name}' (known: {known}); add it with `redun repo add`"
        )
    if not dirs[name]:
        raise UsageError(f"[repos.{name}] in {_ini_path()} has no config_dir; add one")
    return load_config(dirs[name], create=False)


def open_repo_backend(name: str) -> RedunBackend:
    """A loaded backend for repository ``name`` (its schema created when empty)."""
    from redun.scheduler.config import get_backend_from_config

    backend = get_backend_from_config(load_repo_config(name))
    backend.load()
    return backend


@click.group("repo")
def repo_command() -> None:
    """Manage the repositories known to this one (push, pull, --repo)."""


@repo_command.command("add")
@click.argument("name")
@click.argument("config_dir")
def repo_add(name: str, config_dir: str) -> None:
    """Add repository NAME whose redun.ini lives in CONFIG_DIR."""
    from redun.config import load_config

    if name == DEFAULT_REPO:
        raise UsageError("the repository name 'default' is reserved; choose another name")
    if not _NAME.match(name):
        raise UsageError(f"bad repository name '{name}': use letters, digits, '_', '-', '.'")
    config_dir = os.path.abspath(config_dir)
    dirs = repo_dirs(_base_config())
    if name in dirs:
        raise UsageError(
            f"repository '{name}' already exists ({dirs[name]}); `redun repo remove {name}` first"
        )
    load_config(config_dir, create=False)  # The target must be a valid repository.
    shared = False
    for other, other_dir in sorted(dirs.items()):
        if other_dir and os.path.abspath(other_dir) == config_dir:
            # Upstream's wording; the notice stands in for the confirmation below.
            click.echo(f"Existing repository '{other}' also uses config at {config_dir}")
            shared = True
    path = _ini_path()
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    prefix = "" if not text or text.endswith("\n") else "\n"
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"{prefix}\n[repos.{name}]\nconfig_dir = {config_dir}\n")
    if not shared:
        click.echo(f"Added repository '{name}': {config_dir}")


@repo_command.command("list")
def repo_list() -> None:
    """List repositories."""
    click.echo("Repositories:")
    for name, config_dir in sorted(repo_dirs(_base_config()).items()):
        click.echo(f"  {name}: {config_dir}")


@repo_command.command("remove")
@click.argument("name")
def repo_remove(name: str) -> None:
    """Remove repository NAME from redun.ini (its database is left alone)."""
    if name == DEFAULT_REPO:
        raise UsageError("the 'default' repository cannot be removed")
    path = _ini_path()
    with open(path, encoding="utf-8") as handle:
        lines = handle.readlines()
    kept, inside, found = [], False, False
    for line in lines:
        match = _SECTION.match(line)
        if match:
            inside = match.group(1).strip() == f"repos.{name}"
            found = found or inside
        if not inside:
            kept.append(line)
    if not found:
        raise UsageError(f"unknown repository '{name}': no [repos.{name}] section in {path}")
    while kept and not kept[-1].strip():
        kept.pop()
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("".join(kept) + ("\n" if kept and not kept[-1].endswith("\n") else ""))
    click.echo(f"Removed repository '{name}'")
