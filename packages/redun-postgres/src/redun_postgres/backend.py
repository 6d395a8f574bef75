"""The PostgreSQL backend: redun's schema 3.5 on a server many machines share.

A sibling of core's SQLite backend (``RedunBackendDb``): both are ``SqlBackend`` (schema
checks, the write-behind writer, batched reads), each on its own dialect; this one's is
``PostgresDialect``. Writes are the same batched, idempotent, key-ordered transactions
(``INSERT ... ON CONFLICT DO NOTHING``), so concurrent runs of overlapping workflows
never collide.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from redun.backends.db.sql_backend import SqlBackend
from redun.errors import BackendError

from redun_postgres.dialect import PostgresDialect
from redun_postgres.uri import resolve_target


class RedunBackendPostgres(SqlBackend):
    """Provenance and cache store in a PostgreSQL database (schema 3.5, upstream-compatible).

    Parameters
    ----------
    db_uri : str, optional
        ``postgresql://HOST:PORT/DATABASE`` (``postgresql+psycopg://`` too); a username
        may be given, a password may not (use ``REDUN_DB_PASSWORD``).
    config : Mapping, optional
        The ``[backend]`` section: ``db_uri``, ``automigrate`` (default false: a shared
        database is migrated on purpose, with ``redun db upgrade``), ``db_username_env``,
        ``db_password_env``, ``db_retries``, ``db_retries_backoff``,
        ``db_retries_backoff_max``, ``db_pool_size``, ``db_connect_timeout``.
    config_dir : str, optional
        Directory of the redun.ini the section came from.
    """

    schemes: ClassVar[tuple[str, ...]] = ("postgresql",)

    def __init__(
        self,
        db_uri: str | None = None,
        config: Mapping[str, Any] | None = None,
        config_dir: str | None = None,
    ) -> None:
        config = dict(config or {})
        raw_uri = db_uri or config.get("db_uri")
        if not raw_uri:
            raise BackendError("no PostgreSQL database given; set [backend] db_uri")
        self.dialect: PostgresDialect = PostgresDialect(resolve_target(raw_uri, config), config)
        super().__init__(self.dialect, config, config_dir)
