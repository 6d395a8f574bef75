"""Handle lineage in the database: validity reads and rollbacks.

Handle rows are written through the batch writer like any other record; these are the
two operations that must see the committed lineage at once, so they run synchronously
in their own transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from redun.backends.db.sql_reads import chunks

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from redun.backends.db.sql_backend import SqlBackend


def _read_validity(conn: Connection, hashes: Sequence[str]) -> dict[str, bool]:
    from sqlalchemy import select

    from redun.backends.db.tables import Handle

    table = Handle.__table__
    found: dict[str, bool] = {}
    for part in chunks(list(dict.fromkeys(hashes))):
        query = select(table.c.hash, table.c.is_valid).where(table.c.hash.in_(part))
        found.update((row[0], bool(row[1])) for row in conn.execute(query))
    return found


def get_handle_validity(backend: SqlBackend, hashes: Sequence[str]) -> dict[str, bool]:
    """Validity of recorded handle states; a state never recorded is absent (invalid).

    A miss flushes the backend's write-behind queue and looks again, so a state this
    process handed to the backend a moment ago is found.
    """
    with backend.transaction() as conn:
        found = _read_validity(conn, hashes)
    missing = [handle_hash for handle_hash in hashes if handle_hash not in found]
    if missing:
        backend.flush()
        with backend.transaction() as conn:
            found.update(_read_validity(conn, missing))
    return found


def rollback_handle(
    backend: SqlBackend,
    handle_hash: str,
    fullname: str,
    keep: Collection[str] = (),
) -> set[str]:
    """Mark every state descended from ``handle_hash`` invalid; return their hashes.

    Only the lineage of the same system (``fullname``) is walked, through states still
    valid. States in ``keep`` (those the running execution made or used) are neither
    invalidated nor walked past.
    """
    from sqlalchemy import select, update

    from redun.backends.db.tables import Handle, HandleEdge

    handle, edge = Handle.__table__, HandleEdge.__table__
    query = (
        select(edge.c.parent_id, edge.c.child_id)
        .join(handle, handle.c.hash == edge.c.parent_id)
        .where(handle.c.fullname == fullname, handle.c.is_valid.is_(True))
    )
    with backend.transaction(immediate=True) as conn:
        children: dict[str, list[str]] = defaultdict(list)
        for parent_id, child_id in conn.execute(query):
            children[parent_id].append(child_id)
        invalid: set[str] = set()
        queue = [child for child in children.get(handle_hash, ()) if child not in keep]
        while queue:
            current = queue.pop()
            if current in invalid or current in keep:
                continue
            invalid.add(current)
            queue.extend(children.get(current, ()))
        for part in chunks(sorted(invalid)):
            conn.execute(update(handle).where(handle.c.hash.in_(part)).values(is_valid=False))
    return invalid
