"""The batched reads a run makes (cache lookups), through SQLAlchemy on any dialect.

``SqlReader`` has the methods of the SQLite fast path's ``DirectReader``, so a backend
reads through whichever of the two it opened without asking which.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

# SQLite allows 999 bound parameters in old builds; stay well below.
IN_CHUNK = 500
# Keys per ``= ANY(array)`` read on PostgreSQL (one parameter, however many keys).
ARRAY_CHUNK = 10_000


def _any_text_array() -> Any:
    """``ANY(:keys)`` with ``keys`` bound as one text array."""
    from sqlalchemy import String, any_, bindparam
    from sqlalchemy.dialects.postgresql import ARRAY

    return any_(bindparam("keys", type_=ARRAY(String)))


def chunks(items: Sequence[str], size: int = IN_CHUNK) -> Iterator[Sequence[str]]:
    """``items`` in slices of at most ``size`` (one ``IN (...)`` list each)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


class SqlReader:
    """Cache reads in transactions opened by ``transaction()`` (the backend's)."""

    def __init__(self, transaction: Callable[[], AbstractContextManager[Connection]]) -> None:
        self._transaction = transaction

    def close(self) -> None:
        """Nothing to release: every read borrows a pooled connection."""

    def rows(self, sql: str, params: Mapping[str, Any]) -> list[tuple]:
        """Plain SQL with named ``:params``."""
        from sqlalchemy import text

        with self._transaction() as conn:
            return [tuple(row) for row in conn.execute(text(sql), dict(params))]

    def _in(self, columns: Sequence[Any], key: Any, wanted: Sequence[str]) -> list[tuple]:
        from sqlalchemy import select

        unique = list(dict.fromkeys(wanted))
        found: list[tuple] = []
        with self._transaction() as conn:
            if conn.dialect.name == "postgresql":
                # One array parameter, not an IN list of hundreds: the statement is
                # compiled once and the driver does not parse a 500-placeholder query
                # per chunk (a third of a cached 5,000-job rerun's read time).
                statement = select(*columns).where(key == _any_text_array())
                for part in chunks(unique, ARRAY_CHUNK):
                    found += [tuple(row) for row in conn.execute(statement, {"keys": part})]
                return found
            for part in chunks(unique):
                found += [tuple(row) for row in conn.execute(select(*columns).where(key.in_(part)))]
        return found

    def evaluations(self, eval_hashes: Sequence[str]) -> dict[str, str]:
        from redun.backends.db.tables import evaluation as table

        columns = (table.c.eval_hash, table.c.value_hash)
        return dict(self._in(columns, table.c.eval_hash, eval_hashes))

    def values(self, value_hashes: Sequence[str]) -> dict[str, tuple[str, str, bytes]]:
        from redun.backends.db.tables import value as table

        columns = (table.c.value_hash, table.c.type, table.c.format, table.c.value)
        rows = self._in(columns, table.c.value_hash, value_hashes)
        return {value_hash: (type_name, fmt, data) for value_hash, type_name, fmt, data in rows}

    def existing_call_nodes(self, call_hashes: Sequence[str]) -> set[str]:
        """Those of ``call_hashes`` recorded and not hidden by a `redun gc` in progress."""
        from redun.backends.db.gc_mark import is_hidden
        from redun.backends.db.tables import call_node as table

        columns = (table.c.call_hash, table.c.args_hash)
        rows = self._in(columns, table.c.call_hash, call_hashes)
        return {call_hash for call_hash, args_hash in rows if not is_hidden(args_hash)}

    def call_nodes(
        self, task_hash: str, args_hash: str
    ) -> list[tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
        """Past call nodes of a task on these arguments, newest first, each with the tasks
        of its subtree (sorted) and its ``redun.context`` tags."""
        from sqlalchemy import select

        from redun.backends.db.tables import call_node as node
        from redun.backends.db.tables import call_subtree_task as subtree
        from redun.backends.db.tables import tag

        # Filter on the indexed task_hash; args_hash has no index (upstream schema).
        query = (
            select(node.c.call_hash, node.c.value_hash)
            .where(node.c.task_hash == task_hash, node.c.args_hash == args_hash)
            .order_by(node.c.timestamp.desc())
        )
        with self._transaction() as conn:
            nodes = [tuple(row) for row in conn.execute(query)]
            tasks: dict[str, list[str]] = {call_hash: [] for call_hash, _ in nodes}
            contexts: dict[str, list[str]] = {call_hash: [] for call_hash, _ in nodes}
            for part in chunks(list(tasks)):
                rows = conn.execute(
                    select(subtree.c.call_hash, subtree.c.task_hash).where(
                        subtree.c.call_hash.in_(part)
                    )
                )
                for call_hash, sub_task in rows:
                    tasks[call_hash].append(sub_task)
                rows = conn.execute(
                    select(tag.c.entity_id, tag.c.value).where(
                        tag.c.key == "redun.context", tag.c.entity_id.in_(part)
                    )
                )
                for call_hash, value in rows:
                    contexts[call_hash].append(value)
        return [(c, v, tuple(sorted(tasks[c])), tuple(contexts[c])) for c, v in nodes]
