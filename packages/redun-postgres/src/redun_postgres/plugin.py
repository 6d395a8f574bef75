"""Entry point of redun-postgres: registers the backend for ``postgresql://`` URIs."""

from __future__ import annotations

from typing import Any

from redun.plugins import hookimpl


@hookimpl
def redun_backends() -> list[type[Any]]:
    from redun_postgres.backend import RedunBackendPostgres

    return [RedunBackendPostgres]
