"""The backend contract: what the scheduler needs from a provenance store.

A backend receives rows (``redun.backends.records``) that the scheduler has already
hashed and serialized, stores them idempotently, and answers batched cache lookups.
Writes are asynchronous (write-behind) so the scheduler never waits on the database per
job; ``flush`` is the only synchronisation point.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from redun.backends.records import CallNodeHit, Row


class RedunBackend(ABC):
    """A provenance repository (SQLite, Postgres, ...).

    Subclasses declare the ``db_uri`` schemes they serve in ``schemes`` and are
    registered through the ``redun_backends()`` hook.
    """

    schemes: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def load(self, migrate: bool | None = None) -> None:
        """Connect, create or check the schema. ``migrate=None`` follows config."""

    @abstractmethod
    def close(self) -> None:
        """Flush queued writes and release connections. Idempotent."""

    @abstractmethod
    def write(self, rows: Iterable[Row]) -> None:
        """Queue rows for writing. Never blocks on the database."""

    @abstractmethod
    def flush(self) -> None:
        """Block until every queued row is committed; re-raise a writer failure."""

    @abstractmethod
    def get_evaluations(self, eval_hashes: Sequence[str]) -> dict[str, str]:
        """Map each known eval hash to the value hash of its first-round result."""

    @abstractmethod
    def get_values(self, value_hashes: Sequence[str]) -> dict[str, tuple[str, str, bytes]]:
        """Map each known value hash to ``(type_name, format, data)``."""

    @abstractmethod
    def get_call_nodes(self, task_hash: str, args_hash: str) -> list[CallNodeHit]:
        """Past call nodes of this task on these arguments (ultimate-reduction cache)."""

    def get_existing_call_nodes(self, call_hashes: Sequence[str]) -> set[str]:
        """Which of these call nodes are already recorded (lets cached jobs skip rewriting
        them). The default, "none", is always correct, just slower."""
        return set()

    def explain_cache_miss(
        self, name: str, namespace: str, task_hash: str, args_hash: str
    ) -> dict[str, Any] | None:
        """Why a call is not cached: ``{"reason": "new_task" | "new_args" | "new_call"}``."""
        return None

    def get_handle_validity(self, handle_hashes: Sequence[str]) -> dict[str, bool]:
        """Validity of recorded Handle states; a state never recorded is absent.

        Rows queued by ``write`` count as recorded. The default suits a backend that keeps
        no handle lineage: it never rolled anything back, so every state is valid.
        """
        return dict.fromkeys(handle_hashes, True)

    def rollback_handle(
        self, handle_hash: str, fullname: str, keep: Collection[str] = ()
    ) -> set[str]:
        """Mark every state of system ``fullname`` grown from ``handle_hash`` invalid, except
        those in ``keep`` (and what grew from them); return the invalidated hashes. The
        default keeps no lineage, so there is nothing to invalidate."""
        return set()

    def get_execution_savings(self, execution_id: str) -> Any:
        """Jobs an execution reused from the cache and the compute they saved
        (``redun.backends.db.saved.Savings``); None when the backend cannot tell."""
        return None

    def get_db_version(self) -> Any:  # pragma: no cover - optional
        raise NotImplementedError


def __getattr__(name: str) -> Any:
    # Upstream's home of TagEntity; it lives with the SQL types (loaded on first use).
    if name == "TagEntity":
        from redun.backends.db.types import TagEntity

        return TagEntity
    raise AttributeError(f"module 'redun.backends.base' has no attribute '{name}'")
