"""The backend contract: what the scheduler needs from a provenance store.

A backend receives rows (``redun.backends.records``) that the scheduler has already
hashed and serialized, stores them idempotently, and answers batched cache lookups.
Writes are asynchronous (write-behind) so the scheduler never waits on the database per
job; ``flush`` is the only synchronisation point.
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from redun.backends.records import CallNodeHit, Row


class TagEntity(enum.Enum):
    """What a tag is attached to (stored by name in ``tag.entity_type``).

    Defined here, without SQLAlchemy, because plugin backends and user code pass it to
    ``record_tags`` (upstream's ``redun.backends.base.TagEntity``).
    """

    Execution = "Execution"
    Job = "Job"
    CallNode = "CallNode"
    Task = "Task"
    Value = "Value"
    Null = "Null"


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
        self, handle: Any, fullname: str | None = None, keep: Collection[str] = ()
    ) -> set[str]:
        """Mark every state of system ``fullname`` grown from ``handle`` (a state's hash, or
        a Handle, which names its system) invalid, except those in ``keep`` (and what grew
        from them); return the invalidated hashes. The default keeps no lineage, so there
        is nothing to invalidate."""
        return set()

    def get_execution_savings(self, execution_id: str) -> Any:
        """Jobs an execution reused from the cache and the compute they saved
        (``redun.backends.db.saved.Savings``); None when the backend cannot tell."""
        return None

    def get_db_version(self) -> Any:  # pragma: no cover - optional
        raise NotImplementedError
