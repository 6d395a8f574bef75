"""Turning ``[backend] db_uri`` plus credentials from the environment into a connection URL.

Passwords never live in redun.ini: a URI holding one is refused (as upstream redun
does), and the password comes from an environment variable instead. The URL with the
password is a SQLAlchemy ``URL`` object kept away from every message; what redun shows
(``redun db info``, errors, logs) is the masked form.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from redun.errors import ConfigError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

DEFAULT_USERNAME_ENV = "REDUN_DB_USERNAME"
DEFAULT_PASSWORD_ENV = "REDUN_DB_PASSWORD"
# The driver this package ships with, whatever SQLAlchemy's default for postgresql:// is.
DRIVER = "postgresql+psycopg"
_USERINFO = re.compile(r"(://[^/:@]*):[^/@]*@")


class Target(NamedTuple):
    """Where to connect: the URL with credentials, and how to show it."""

    url: URL
    display: str
    password: str | None


def mask_uri(db_uri: str) -> str:
    """``db_uri`` with any password replaced by ``***`` (works on unparsable text too)."""
    return _USERINFO.sub(r"\1:***@", db_uri)


def resolve_target(db_uri: str, config: Mapping[str, Any] | None = None) -> Target:
    """Parse ``db_uri`` and add the username and password from the environment.

    ``db_username_env`` / ``db_password_env`` in ``[backend]`` name the variables
    (``REDUN_DB_USERNAME`` / ``REDUN_DB_PASSWORD`` by default); a username set there
    replaces one in the URI.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    config = config or {}
    try:
        url = make_url(db_uri)
    except ArgumentError:
        raise ConfigError(
            f"[backend] db_uri '{mask_uri(db_uri)}' is not a database URI; "
            "use postgresql://HOST:PORT/DATABASE"
        ) from None
    if url.password is not None:
        raise ConfigError(
            f"[backend] db_uri '{mask_uri(db_uri)}' contains a password; remove it and set "
            f"{config.get('db_password_env', DEFAULT_PASSWORD_ENV)} instead"
        )
    if not url.database:
        raise ConfigError(
            f"[backend] db_uri '{mask_uri(db_uri)}' names no database; "
            "use postgresql://HOST:PORT/DATABASE"
        )
    username = os.environ.get(config.get("db_username_env", DEFAULT_USERNAME_ENV)) or url.username
    password = os.environ.get(config.get("db_password_env", DEFAULT_PASSWORD_ENV)) or None
    url = url.set(username=username, password=password)
    display = url.render_as_string(hide_password=True)
    return Target(url.set(drivername=DRIVER), display, password)
