"""What the global CLI options resolve to, shared by every sub-command.

Commands never parse ``-c``/``--repo`` themselves: they ask the ``CliState`` on the
click context for the config and the backend, so config loading and backend
construction (SQLAlchemy import, schema check) happen only for commands that need them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from redun.backends.base import RedunBackend
    from redun.config import Config


@dataclass
class CliState:
    config_option: str | None = None
    repo: str = "default"
    setup_args: tuple[str, ...] = ()
    _config: Config | None = field(default=None, repr=False)
    _backend: RedunBackend | None = field(default=None, repr=False)
    # The scheduler `redun run` built, for in-process callers (RedunClient).
    scheduler: Any = field(default=None, repr=False)

    def config_dir(self) -> str:
        from redun.config import get_config_dir

        return get_config_dir(self.config_option)

    def config(self) -> Config:
        """The repo's config; creates ``.redun/redun.ini`` unless ``-c`` named a missing one."""
        if self._config is None:
            from redun.config import load_config

            explicit = self.config_option or os.environ.get("REDUN_CONFIG")
            config = load_config(self.config_dir(), create=not explicit)
            if self.repo != "default":
                config = _repo_config(config, self.repo)
            self._config = config
        return self._config

    def backend(self, migrate: bool | None = None) -> RedunBackend:
        """The repo's backend, loaded (schema created or checked)."""
        if self._backend is None:
            from redun.scheduler.config import get_backend_from_config

            backend = get_backend_from_config(self.config())
            backend.load(migrate=migrate)
            self._backend = backend
        return self._backend

    def close(self) -> None:
        if self._backend is not None:
            self._backend.close()
            self._backend = None


def _repo_config(config: Config, repo: str) -> Config:
    from redun.config import load_config
    from redun.errors import UsageError

    repos = config.get("repos", {})
    if repo not in repos or "config_dir" not in repos[repo]:
        known = ", ".join(sorted(repos)) or "none"
        raise UsageError(
            f"unknown repository '{repo}' (known: {known}); add it with `redun repo add`"
        )
    return load_config(repos[repo]["config_dir"], create=False)


def get_state(ctx: click.Context | None = None) -> CliState:
    ctx = ctx or click.get_current_context()
    state = ctx.find_object(CliState)
    if state is None:
        state = ctx.ensure_object(CliState)
    return state
