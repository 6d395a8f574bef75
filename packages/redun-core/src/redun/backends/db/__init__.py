"""SQL backends: SQLite's (``RedunBackendDb``) and the ``SqlBackend`` base that PostgreSQL's
shares with it (SQLAlchemy models, migrations, write-behind writer, log queries).

Names load lazily so that ``import redun.backends.db`` does not import SQLAlchemy until
a backend or model is used.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "RedunBackendDb": "redun.backends.db.backend",
    "SqlBackend": "redun.backends.db.sql_backend",
    "DBVersionInfo": "redun.backends.db.versions",
    "parse_db_version": "redun.backends.db.versions",
    "TagEntity": "redun.backends.db.types",
    "DateTimeUTC": "redun.backends.db.types",
    "JSON": "redun.backends.db.types",
    "RedunSession": "redun.backends.db.session",
    "REDUN_DB_VERSIONS": "redun.backends.db.versions",
    "MAX_VALUE_SIZE_PREVIEW": "redun.backends.db.preview",
    "PreviewValue": "redun.backends.db.preview",
    "RedunDatabaseError": "redun.errors",
    "RedunVersionError": "redun.errors",
}
_MODELS = [
    "Base",
    "Argument",
    "ArgumentResult",
    "CallEdge",
    "CallNode",
    "CallSubtreeTask",
    "Evaluation",
    "Execution",
    "File",
    "Handle",
    "HandleEdge",
    "Job",
    "RedunMigration",
    "RedunVersion",
    "Subvalue",
    "Tag",
    "TagEdit",
    "Task",
    "Value",
]
_EXPORTS.update({name: "redun.backends.db.models" for name in _MODELS})

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'redun.backends.db' has no attribute '{name}'")
    return getattr(importlib.import_module(module), name)
