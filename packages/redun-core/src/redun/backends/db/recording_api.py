"""Upstream's synchronous recording API on a SQL backend (``record_value``, ``get_value``,
``record_call_node``, ``advance_handle``, ``is_valid_handle``): what user code and plugin
authors call on ``scheduler.backend`` outside a run.

A run never goes through these: the scheduler hands rows to the write-behind writer
(``SqlBackend.write``). These methods build the same rows, write them, and wait for the
commit, so a value, call node, handle or tag recorded here is visible to the next read
(``backend.session`` included) and is exactly what a run would have recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from redun.backends.records import CallNodeRow, Row, ValueRow
from redun.errors import BackendError
from redun.hashing import hash_call_node

if TYPE_CHECKING:
    from redun.handle import Handle
    from redun.value import TypeRegistry

# Upstream's default: values larger than this are refused by ``record_value``
# (``[backend] max_value_size``).
DEFAULT_MAX_VALUE_SIZE = 1_000_000_000


class RecordingApi:
    """Mixed into ``SqlBackend``: record and read single records, synchronously."""

    _type_registry: TypeRegistry | None = None
    max_value_size: int = DEFAULT_MAX_VALUE_SIZE

    # SqlBackend supplies: write, flush, session, _session, get_values,
    # get_handle_validity.

    @property
    def type_registry(self) -> TypeRegistry:
        """How values are hashed and serialized (the process-wide registry by default)."""
        if self._type_registry is None:
            from redun.value import get_type_registry

            self._type_registry = get_type_registry()
        return self._type_registry

    @type_registry.setter
    def type_registry(self, registry: TypeRegistry) -> None:
        self._type_registry = registry

    @contextmanager
    def with_session(self) -> Iterator[Any]:
        """The backend's ORM session, as a context (upstream's spelling)."""
        yield self.session

    def _commit(self, rows: list[Row]) -> None:
        """Write ``rows`` and wait for them; then end the ORM session's read transaction
        (when it holds no changes of its own) so its next query sees them."""
        if rows:
            self.write(rows)
        self.flush()
        session = self._session
        idle = session is not None and not (session.new or session.dirty or session.deleted)
        if idle and session.in_transaction():
            session.commit()

    # -- values ---------------------------------------------------------------------------

    def _value_rows(self, value: Any, data: bytes | None = None) -> tuple[str, list[Row]]:
        from redun.scheduler.recording import Recorder

        registry = self.type_registry
        if data is None:
            return Recorder(self, registry).value_row(value)  # type: ignore[arg-type]
        value_hash = registry.get_hash(value, data)
        row = ValueRow(
            value_hash,
            registry.get_type_name(type(value)),
            registry.get_serialization_format(value),
            data,
        )
        return value_hash, [row]

    def record_value(self, value: Any, data: bytes | None = None) -> str:
        """Record ``value`` (and the Files nested in it); return its hash.

        ``data`` overrides the serialized bytes. Recording a value twice is harmless.

        Raises
        ------
        BackendError
            The serialized value is larger than ``[backend] max_value_size``.
        """
        value_hash, rows = self._value_rows(value, data)
        for row in rows:
            if isinstance(row, ValueRow) and len(row.value) > self.max_value_size:
                shown = repr(value)
                shown = shown if len(shown) <= 50 else shown[:47] + "..."
                raise BackendError(
                    f"value {shown} is too large (> {self.max_value_size} bytes) to store in "
                    "the redun database; raise [backend] max_value_size and consider a value "
                    "store (value_store_path)"
                )
        self._commit(rows)
        return value_hash

    def get_value(self, value_hash: str) -> tuple[Any, bool]:
        """``(value, True)`` for a recorded value, ``(None, False)`` when it is unknown or
        can no longer be deserialized (its class moved, its value-store file is gone)."""
        from redun.value import InvalidValueError

        found = self.get_values([value_hash]).get(value_hash)
        if found is None:
            return None, False
        type_name, _, data = found
        try:
            return self.type_registry.deserialize(type_name, data), True
        except InvalidValueError:
            return None, False

    # -- call graph -----------------------------------------------------------------------

    def record_call_node(
        self,
        task_name: str,
        task_hash: str,
        args_hash: str,
        expr_args: tuple[tuple, dict],
        eval_args: tuple[tuple, dict],
        result_hash: str,
        child_call_hashes: list[str],
        subtree_tasks: Iterable[Any],
    ) -> str:
        """Record a finished call of a task: its node, arguments, child edges (in order) and
        the tasks of its subtree; return its call hash.

        ``eval_args`` are the evaluated arguments, recorded as values; ``expr_args`` is
        accepted for upstream's signature. ``result_hash`` must be a recorded value.
        """
        from redun.scheduler.recording import Recorder, utcnow

        call_hash = hash_call_node(task_hash, args_hash, result_hash, list(child_call_hashes))
        recorder = Recorder(self, self.type_registry)  # type: ignore[arg-type]
        rows: list[Row] = []
        tasks = list(subtree_tasks)
        for task in tasks:
            rows.extend(recorder.task_rows(task))
        args, kwargs = eval_args
        named: list[tuple[int | None, str | None, Any, tuple[str, ...]]] = [
            (position, None, arg, ()) for position, arg in enumerate(args)
        ] + [(None, key, arg, ()) for key, arg in kwargs.items()]
        arguments = recorder.argument_rows(call_hash, named, rows)
        subtree = tuple(dict.fromkeys([task_hash, *(task.hash for task in tasks)]))
        rows.append(
            CallNodeRow(
                call_hash,
                task_name,
                task_hash,
                args_hash,
                result_hash,
                utcnow(),
                tuple(child_call_hashes),
                tuple(arguments),
                subtree,
            )
        )
        self._commit(rows)
        return call_hash

    # -- handles --------------------------------------------------------------------------

    def advance_handle(self, parent_handles: list[Handle], child_handle: Handle) -> None:
        """Record that ``child_handle``'s state was derived from each of ``parent_handles``."""
        from redun.handle import handle_row, handle_rows

        rows: list[Row] = []
        for parent in parent_handles:
            rows.extend(handle_rows(parent))
        _, value_rows = self._value_rows(child_handle)
        rows.extend(row for row in value_rows if isinstance(row, ValueRow))
        rows.append(handle_row(child_handle, [parent.__handle__.hash for parent in parent_handles]))
        child_handle.__handle__.is_recorded = True
        self._commit(rows)

    def is_valid_handle(self, handle: Handle) -> bool:
        """Whether the handle's state is recorded and not rolled back."""
        handle_hash = handle.__handle__.hash
        return self.get_handle_validity([handle_hash]).get(handle_hash, False)
