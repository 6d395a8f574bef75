"""Schema versions: what is known, what this code accepts, and reading a database's.

A database's version is the major number in its newest ``redun_version`` row plus the
minor number implied by its Alembic revision id (upstream's encoding). Reading it is two
plain queries, so opening an up-to-date repository never imports Alembic.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from redun.errors import DatabaseVersionError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

UNKNOWN_MINOR = 99


class DBVersionInfo(NamedTuple):
    """A schema version and the Alembic revision that produces it."""

    migration_id: str
    major: int
    minor: int
    description: str

    @property
    def key(self) -> tuple[int, int]:
        return (self.major, self.minor)

    def __str__(self) -> str:
        return f"{self.major}.?" if self.minor == UNKNOWN_MINOR else f"{self.major}.{self.minor}"

    # Versions compare by (major, minor) alone, as upstream's do: ``version < required``.
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DBVersionInfo):
            return NotImplemented
        return self.key == other.key

    def __ne__(self, other: object) -> bool:
        if not isinstance(other, DBVersionInfo):
            return NotImplemented
        return self.key != other.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, DBVersionInfo):
            return NotImplemented
        return self.key < other.key

    def __le__(self, other: object) -> bool:
        if not isinstance(other, DBVersionInfo):
            return NotImplemented
        return self.key <= other.key

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, DBVersionInfo):
            return NotImplemented
        return self.key > other.key

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, DBVersionInfo):
            return NotImplemented
        return self.key >= other.key


# Every version upstream redun has released, oldest first (revision ids are upstream's).
DB_VERSIONS: tuple[DBVersionInfo, ...] = (
    DBVersionInfo("806f5dcb11bf", 1, 0, "Prototype schema."),
    DBVersionInfo("647c510a77b1", 2, 0, "Initial production schema."),
    DBVersionInfo("30ffbaee18cd", 2, 1, "Backfill companion values for tasks"),
    DBVersionInfo("71ec303c90e4", 2, 2, "Add indexes for id prefix search"),
    DBVersionInfo("d4af139b6f53", 2, 3, "Add job.execution_id"),
    DBVersionInfo("cd2d53191748", 3, 0, "Make job.execution_id non-nullable"),
    DBVersionInfo("cc4f663817b6", 3, 1, "Add Tag schemas."),
    DBVersionInfo("eb7b95e4e8bf", 3, 2, "Remove length restriction on value type names."),
    DBVersionInfo("f68b3aaee9cc", 3, 3, "Add job and value indexes."),
    DBVersionInfo("3b0a6e67cc58", 3, 4, "Add UTC timezone to timestamps."),
    DBVersionInfo("0bee3d6dba76", 3, 5, "Add updated_time."),
)
LATEST = DB_VERSIONS[-1]
# Oldest version this package's migrations start from (older needs upstream's migrations).
OLDEST_MIGRATABLE = DB_VERSIONS[-2]
MIN_VERSION = (3, 5)
MAX_MAJOR = 3  # accepted: >=3.5,<4
# The same range as versions (upstream's ``get_db_version_required``).
REQUIRED_RANGE = (
    DBVersionInfo("", MIN_VERSION[0], MIN_VERSION[1], ""),
    DBVersionInfo("", MAX_MAJOR, UNKNOWN_MINOR, ""),
)
SUPPORTED_RANGE = f">={MIN_VERSION[0]}.{MIN_VERSION[1]},<{MAX_MAJOR + 1}"

# A database with no redun tables at all.
NULL_VERSION = DBVersionInfo("000000000000", -1, 0, "No schema present.")


def parse_db_version(text: str) -> DBVersionInfo:
    """Parse ``3.5``, ``3`` or ``latest`` into a known version."""
    if text == "latest":
        return LATEST
    try:
        parts = [int(part) for part in text.split(".")]
    except ValueError:
        parts = []
    if len(parts) not in (1, 2):
        raise DatabaseVersionError(f"malformed db version '{text}'; use MAJOR.MINOR or 'latest'")
    major, minor = parts[0], parts[1] if len(parts) == 2 else 0
    for version in DB_VERSIONS:
        if version.key == (major, minor):
            return version
    known = ", ".join(str(v) for v in DB_VERSIONS)
    raise DatabaseVersionError(f"unknown db version '{text}' (known: {known})")


def is_compatible(version: DBVersionInfo) -> bool:
    """True when this code can read and write a database at ``version``."""
    return version.key >= MIN_VERSION and version.major <= MAX_MAJOR


def read_db_version(conn: Connection, table_names: set[str]) -> DBVersionInfo:
    """The version of the database behind ``conn`` (``NULL_VERSION`` if it has no schema)."""
    from sqlalchemy import text

    return read_version_rows(lambda sql: conn.execute(text(sql)).all(), table_names)


def read_version_rows(
    query: Callable[[str], Sequence[Sequence[Any]]], table_names: set[str]
) -> DBVersionInfo:
    """The schema version, reading the marker tables through ``query(sql) -> rows``.

    Shared by the SQLAlchemy path and the DBAPI fast path (``sqlite_direct``).
    """
    if "redun_version" not in table_names:
        return NULL_VERSION
    rows = query("SELECT version FROM redun_version ORDER BY timestamp DESC LIMIT 1")
    if not rows:
        return NULL_VERSION
    major = int(rows[0][0])
    applied: set[str] = set()
    if "alembic_version" in table_names:
        applied = {row[0] for row in query("SELECT version_num FROM alembic_version")}
    for version in reversed(DB_VERSIONS):
        if version.major == major and version.migration_id in applied:
            return version
    # A revision we do not know: a newer minor (or major) than this code.
    return DBVersionInfo("ffffffffffff", major, UNKNOWN_MINOR, "DB version newer than client.")


# Upstream's name for the known schema versions, oldest first.
REDUN_DB_VERSIONS = list(DB_VERSIONS)
