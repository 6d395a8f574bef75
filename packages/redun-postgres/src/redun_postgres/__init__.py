"""PostgreSQL backend for redun.

Installing the package is all it takes: ``[backend] db_uri = postgresql://host/db`` in
redun.ini selects it through the ``redun_backends()`` hook. Names load lazily so that
discovering the plugin does not import SQLAlchemy or psycopg.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "RedunBackendPostgres": "redun_postgres.backend",
    "PostgresBackendError": "redun_postgres.errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'redun_postgres' has no attribute '{name}'")
    return getattr(importlib.import_module(module), name)
