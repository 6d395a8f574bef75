"""Creating and migrating the schema.

A new database is built directly from the models and stamped at the latest version
(fast: no Alembic import). Existing databases move between versions with the Alembic
scripts in ``migrations/``, whose revision ids are upstream redun's, so the
``alembic_version`` row means the same thing to both implementations.
"""

from __future__ import annotations

import logging
import os
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from redun.backends.db.versions import (
    LATEST,
    NULL_VERSION,
    OLDEST_MIGRATABLE,
    DBVersionInfo,
    read_db_version,
)
from redun.errors import DatabaseVersionError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

logger = logging.getLogger("redun.backends.db")

MIGRATIONS_DIR = os.path.join(os.path.dirname(__file__), "migrations")


def table_names(conn: Connection) -> set[str]:
    from sqlalchemy import inspect

    return set(inspect(conn).get_table_names())


def record_version(conn: Connection, version: DBVersionInfo) -> None:
    """Append the ``redun_version`` row that marks a schema change (upstream's encoding)."""
    from redun.backends.db.tables import RedunVersion

    conn.execute(
        RedunVersion.__table__.insert().values(
            id=str(uuid.uuid4()), version=version.major, timestamp=datetime.now(UTC)
        )
    )


def create_schema(conn: Connection) -> None:
    """Create every table at the latest version, inside the caller's transaction."""
    from sqlalchemy import delete, insert

    from redun.backends.db.tables import RedunMigration, metadata

    metadata.create_all(conn)
    migration = RedunMigration.__table__
    conn.execute(delete(migration))
    conn.execute(insert(migration).values(version_num=LATEST.migration_id))
    record_version(conn, LATEST)


def migrate(conn: Connection, current: DBVersionInfo, desired: DBVersionInfo, where: str) -> bool:
    """Move the schema from ``current`` to ``desired``; returns False when already there.

    Runs inside the caller's transaction so a failed migration leaves the database as
    it was.
    """
    if current == NULL_VERSION:
        raise DatabaseVersionError(f"database at {where} has no redun schema to migrate")
    if desired.key == current.key:
        return False
    for version, role in ((current, "is"), (desired, "target is")):
        if version.key < OLDEST_MIGRATABLE.key:
            raise DatabaseVersionError(
                f"database at {where} {role} version {version}, older than this redun can "
                f"migrate (>={OLDEST_MIGRATABLE}); use upstream redun's `redun db upgrade` first"
            )
    if current.key > LATEST.key:
        raise DatabaseVersionError(
            f"database at {where} is too new for this redun: version {current} > "
            f"{LATEST}; upgrade redun"
        )

    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", MIGRATIONS_DIR)
    config.attributes["connection"] = conn
    if desired.key > current.key:
        logger.info("Upgrading db from version %s to %s...", current, desired)
        command.upgrade(config, desired.migration_id)
    else:
        logger.info("Downgrading db from version %s to %s...", current, desired)
        command.downgrade(config, desired.migration_id)
    record_version(conn, desired)
    return True


def current_version(conn: Connection) -> DBVersionInfo:
    return read_db_version(conn, table_names(conn))
