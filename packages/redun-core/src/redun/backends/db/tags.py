"""Tag editing: parse ``key=value`` arguments and plan add/update/delete as tag rows.

Tags are immutable and content-addressed, so an edit is a new tag whose parents are
the tags it replaces (``tag_edit``); only leaves of the edit graph are current. A
deletion is an edit to upstream's delete marker: a tag on the ``Null`` entity with
empty id and key and a null value. Every function here only reads; the rows it
returns go through the backend's normal write path (``TagRow``), which records the
edit links and marks the parents not current.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from redun.backends.db.tables import Tag, TagEdit
from redun.backends.records import TagRow
from redun.errors import UsageError
from redun.hashing import hash_tag
from redun.tags import ANY_VALUE, format_tag_value

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


def _superseded(conn: Connection, tag_hashes: Sequence[str]) -> set[str]:
    from sqlalchemy import select

    edit = TagEdit.__table__
    query = select(edit.c.parent_id).where(edit.c.parent_id.in_(list(tag_hashes)))
    return {row[0] for row in conn.execute(query)}


def new_tag_rows(
    conn: Connection,
    entity_type: str,
    entity_id: str,
    tags: Iterable[tuple[str, Any]],
    parents: Sequence[str] = (),
) -> list[TagRow]:
    """Rows that make ``tags`` current on the entity.

    Re-adding a tag that was once edited away would recreate the same (superseded)
    hash, so such a tag is re-parented on its old self until its hash is new.
    """
    parents = tuple(sorted(parents))
    rows = []
    for key, value in tags:
        tag_parents = parents
        tag_hash = hash_tag(entity_id, key, value, list(tag_parents))
        while _superseded(conn, [tag_hash]):
            tag_parents = (tag_hash,)
            tag_hash = hash_tag(entity_id, key, value, list(tag_parents))
        rows.append(TagRow(tag_hash, entity_type, entity_id, key, value, tag_parents))
    return rows


def current_tags(
    conn: Connection, entity_id: str, keys: Iterable[str] = ()
) -> list[tuple[str, str, Any]]:
    """``(tag_hash, key, value)`` of the entity's current tags (only ``keys`` if given)."""
    from sqlalchemy import select

    tag = Tag.__table__
    query = select(tag.c.tag_hash, tag.c.key, tag.c.value).where(
        tag.c.entity_id == entity_id, tag.c.is_current.is_(True)
    )
    keys = list(keys)
    if keys:
        query = query.where(tag.c.key.in_(keys))
    return [tuple(row) for row in conn.execute(query.order_by(tag.c.key))]


def update_tag_rows(
    conn: Connection, entity_type: str, entity_id: str, tags: Sequence[tuple[str, Any]]
) -> list[TagRow]:
    """Rows replacing the entity's current tags of the same keys (one current per key)."""
    parents = [tag_hash for tag_hash, _, _ in current_tags(conn, entity_id, [k for k, _ in tags])]
    return new_tag_rows(conn, entity_type, entity_id, tags, parents)


def delete_tag_rows(
    conn: Connection, entity_id: str, patterns: Sequence[tuple[str, Any]]
) -> tuple[TagRow, list[tuple[str, Any]]]:
    """The delete-marker row retiring the current tags matching ``patterns``.

    A pattern's value may be ``ANY_VALUE``. Returns the row and the removed pairs.

    Raises
    ------
    UsageError
        No current tag of the entity matches.
    """
    matched = [
        (tag_hash, key, value)
        for tag_hash, key, value in current_tags(conn, entity_id, {k for k, _ in patterns})
        if any(k == key and (v is ANY_VALUE or v == value) for k, v in patterns)
    ]
    if not matched:
        wanted = " ".join(
            k if v is ANY_VALUE else f"{k}={format_tag_value(v)}" for k, v in patterns
        )
        raise UsageError(f"no current tag matches '{wanted}' on {entity_id}; see `redun tag list`")
    parents = sorted(tag_hash for tag_hash, _, _ in matched)
    row = TagRow(hash_tag("", "", None, parents), "Null", "", "", None, tuple(parents))
    return row, [(key, value) for _, key, value in matched]


def tag_counts(
    conn: Connection, patterns: Sequence[tuple[str, Any]] = (), values: bool = False
) -> dict[tuple[str, Any], dict[str, int]]:
    """Current tags counted per key (or per key and value) and entity type."""
    from sqlalchemy import select

    tag = Tag.__table__
    query = select(tag.c.key, tag.c.value, tag.c.entity_type).where(
        tag.c.is_current.is_(True), tag.c.key != ""
    )
    counts: dict[tuple[str, Any], dict[str, int]] = {}
    for key, value, entity_type in conn.execute(query):
        if patterns and not any(k == key and (v is ANY_VALUE or v == value) for k, v in patterns):
            continue
        group = (key, json.dumps(value, sort_keys=True) if values else None)
        kind = getattr(entity_type, "name", entity_type)
        counts.setdefault(group, {}).setdefault(kind, 0)
        counts[group][kind] += 1
    return counts
