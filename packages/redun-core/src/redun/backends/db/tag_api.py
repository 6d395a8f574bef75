"""Upstream's tag methods of a SQL backend, for scripts that read and edit tags.

``redun tag`` does the same from the command line. Edits are planned by
``redun.backends.db.tags`` (an edit is a new tag whose parents are the tags it
replaces) and written through the backend's normal write path, then flushed, so a read
right after sees them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from redun.backends.records import TagRow
from redun.hashing import hash_tag, json_dumps
from redun.tags import ANY_VALUE

TagList = list[tuple[str, str, str, Any]]


def _kind(entity_type: Any) -> str:
    return getattr(entity_type, "name", entity_type)


def _tag_rows(
    kind: str, entity_id: str, tags: list[tuple[str, Any]], parents: list[str]
) -> list[TagRow]:
    """Tags with exactly these parents (a tag recorded before keeps its hash and state)."""
    return [
        TagRow(hash_tag(entity_id, key, value, parents), kind, entity_id, key, value, (*parents,))
        for key, value in tags
    ]


class TagApi:
    """Mixed into ``SqlBackend``: ``get_tags``, ``record_tags``, ``update_tags``,
    ``delete_tags``."""

    def _tag_transaction(self) -> Any:
        self._ready()  # type: ignore[attr-defined]
        return self.transaction()  # type: ignore[attr-defined]

    def _write_tags(self, rows: Sequence[Any]) -> TagList:
        if rows:
            self.write(rows)  # type: ignore[attr-defined]
            self.flush()  # type: ignore[attr-defined]
        return [(row.tag_hash, row.entity_id, row.key, row.value) for row in rows]

    def get_tags(self, entity_ids: Iterable[str]) -> dict[str, dict[str, list[Any]]]:
        """Current tags of these entities: ``{entity_id: {key: [values]}}``, the values of
        a key in their JSON order; an entity without tags is absent."""
        from sqlalchemy import select

        from redun.backends.db.sync_walk import chunked
        from redun.backends.db.tables import Tag

        tag = Tag.__table__
        found: dict[str, dict[str, list[Any]]] = {}
        with self._tag_transaction() as conn:
            for part in chunked(list(entity_ids)):
                query = (
                    select(tag.c.entity_id, tag.c.key, tag.c.value)
                    .where(tag.c.entity_id.in_(part), tag.c.is_current.is_(True))
                    .order_by(tag.c.key)
                )
                for entity_id, key, value in conn.execute(query):
                    found.setdefault(entity_id, {}).setdefault(key, []).append(value)
        for entity_tags in found.values():
            for values in entity_tags.values():
                values.sort(key=json_dumps)  # a stable order, whatever the database's
        return found

    def record_tags(
        self,
        entity_type: Any,
        entity_id: str,
        tags: Iterable[tuple[str, Any]],
        parents: Iterable[str] = (),
        update: bool = False,
        new: bool = False,
    ) -> TagList:
        """Add tags to an entity (``TagEntity`` or its name); ``parents`` are tags they
        replace, ``update`` replaces the current tags of the same keys. Returns
        ``(tag_hash, entity_id, key, value)`` of the tags written.

        ``new`` (implied by ``update``) makes a tag current even if the same tag was once
        edited away; without it, re-adding a deleted tag leaves it retired, as upstream.
        """
        from redun.backends.db.tags import current_tags, new_tag_rows

        tags = list(tags)
        if not tags:
            return []
        with self._tag_transaction() as conn:
            parents = list(parents)
            if update:
                keys = [key for key, _ in tags]
                parents += [tag_hash for tag_hash, _, _ in current_tags(conn, entity_id, keys)]
                new = True
            if new:
                rows = new_tag_rows(conn, _kind(entity_type), entity_id, tags, parents)
            else:
                rows = _tag_rows(_kind(entity_type), entity_id, tags, sorted(set(parents)))
        return self._write_tags(rows)

    def update_tags(
        self,
        entity_type: Any,
        entity_id: str,
        old_keys: Iterable[str],
        new_tags: Iterable[tuple[str, Any]],
    ) -> TagList:
        """Replace the entity's current tags with keys ``old_keys`` by ``new_tags``."""
        from redun.backends.db.tags import current_tags, new_tag_rows

        with self._tag_transaction() as conn:
            parents = [tag_hash for tag_hash, _, _ in current_tags(conn, entity_id, old_keys)]
            rows = new_tag_rows(conn, _kind(entity_type), entity_id, list(new_tags), parents)
        return self._write_tags(rows)

    def delete_tags(
        self, entity_id: str, tags: Iterable[tuple[str, Any]], keys: Iterable[str] = ()
    ) -> TagList:
        """Remove the entity's current tags matching ``(key, value)`` pairs or ``keys``
        (any value). Nothing matching is not an error: nothing is written."""
        from redun.backends.db.tags import delete_tag_rows

        patterns = list(tags) + [(key, ANY_VALUE) for key in keys]
        if not patterns:
            return []
        from redun.errors import UsageError

        with self._tag_transaction() as conn:
            try:
                row, _ = delete_tag_rows(conn, entity_id, patterns)
            except UsageError:
                return []
        return self._write_tags([row])
