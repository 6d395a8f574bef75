"""Handle: a Value standing for the state of a stateful external system (a database).

A Handle is hashed by its history, not its contents: first by its constructor arguments,
then, each time it passes through a task, by that call. Entering a task *forks* it (the
call order within the parent job is the fork key, so sibling calls get distinct states);
leaving a task *advances* it with the job's eval hash. The states and their lineage are
recorded in the ``handle``/``handle_edge`` tables, where a rerun from an old state marks
the branches grown from it invalid (rollback), so their cached results are not reused.

Hash recipes are upstream redun's, byte for byte, so a shared database keeps its cache.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from redun.current import get_current_scheduler
from redun.errors import RedunError
from redun.hashing import hash_kwargs, hash_positional_args, hash_struct
from redun.task import scheduler_task
from redun.task.namespace import compute_namespace
from redun.value import Value, get_type_registry
from redun.value.nested import iter_nested_value

if TYPE_CHECKING:
    from redun.backends.base import RedunBackend
    from redun.backends.records import HandleRow, Row
    from redun.expression import SchedulerExpression
    from redun.promise import Promise
    from redun.scheduler.job import Job
    from redun.scheduler.scheduler import Scheduler


class HandleError(RedunError):
    """A Handle was used in a way its state tracking cannot follow."""


def get_handle_class(handle_class_name: str) -> type[Handle]:
    """The Handle subclass registered under ``handle_class_name`` (its ``type_name``)."""
    return get_type_registry().parse_type_name(handle_class_name)  # type: ignore[return-value]


def get_fullname(namespace: str | None, name: str) -> str:
    """``namespace.name``, or ``name`` alone without a namespace."""
    return f"{namespace}.{name}" if namespace else name


class HandleInfo:
    """The identity and current state of one Handle value, kept apart from user attributes.

    Only this is serialized (``get_state``): a Handle is rebuilt from its constructor
    arguments, so the live connection in ``instance`` never reaches the database.
    """

    def __init__(
        self,
        name: str,
        args: tuple,
        kwargs: dict,
        class_name: str,
        namespace: str | None = None,
        call_hash: str = "",
        hash: str | None = None,
        key: str = "",
    ) -> None:
        self.name = name
        self.namespace = namespace
        self.fullname = get_fullname(namespace, name)
        self.args = args
        self.kwargs = kwargs
        self.class_name = class_name
        # Empty for a freshly constructed handle; the call (or parent state) it came from after.
        self.call_hash = call_hash
        # Distinguishes forks of one state (the call order within the parent job).
        self.key = key
        self.hash = hash or self.get_hash()
        # Recording bookkeeping (never serialized): whether this state's rows were queued,
        # and the in-memory states it was derived from until they are.
        self.is_recorded = False
        self.parents: tuple[Handle, ...] = ()

    def get_state(self) -> dict:
        """The serialized form (key order matches upstream's pickles)."""
        return {
            "name": self.name,
            "namespace": self.namespace,
            "args": self.args,
            "kwargs": self.kwargs,
            "class_name": self.class_name,
            "call_hash": self.call_hash,
            "key": self.key,
            "hash": self.hash,
        }

    def get_hash(self) -> str:
        """Hash of this state: its constructor arguments, or the call it came out of."""
        if self.call_hash:
            return hash_struct(["Handle", self.fullname, "call_hash", self.key, self.call_hash])
        registry = get_type_registry()
        return hash_struct(
            [
                "Handle",
                self.fullname,
                "init",
                self.key,
                hash_positional_args(registry, self.args),
                hash_kwargs(registry, self.kwargs),
            ]
        )

    def update_hash(self) -> None:
        self.hash = self.get_hash()

    def clone(self, handle: Handle) -> Handle:
        """A copy of ``handle`` (same user attributes, same state) to derive a new state on."""
        handle2 = Handle.__new__(type(handle))
        handle2.__dict__.update(
            (key, value) for key, value in handle.__dict__.items() if key != "__handle__"
        )
        info = HandleInfo.__new__(HandleInfo)
        info.__dict__.update(self.__dict__)
        info.is_recorded = False
        info.parents = ()
        handle2.__dict__["__handle__"] = info
        return handle2

    def _derive(self, handle: Handle, call_hash: str, key: str) -> Handle:
        handle2 = self.clone(handle)
        info = handle2.__handle__
        info.call_hash = call_hash
        info.key = key
        info.update_hash()
        info.parents = (handle,)
        return handle2

    def apply_call(self, handle: Handle, call_hash: str) -> Handle:
        return self._derive(handle, call_hash, "")

    def fork(self, handle: Handle, key: str) -> Handle:
        # A fork's "call" is the state it forks from.
        return self._derive(handle, self.hash, key)


class Handle(Value):
    """A Value that accumulates opaque state as it passes through tasks.

    Subclass it for a stateful external system and open the connection in ``__init__``
    (store it as ``self.instance``: attribute access falls through to it). ``__init__``
    runs again when a Handle is deserialized, so its constructor arguments must be enough
    to reconnect; they are all that is serialized and, initially, hashed.

    Parameters
    ----------
    name : str
        Identifies the external system across runs (with ``namespace``: the fullname).
    *args, **kwargs
        Constructor arguments, passed on to ``__init__``.
    namespace : str, optional
        Defaults like a task's: the module's ``redun_namespace``, else the current one.
    """

    type_name = "redun.Handle"
    HandleInfo = HandleInfo
    __handle__: HandleInfo

    def __new__(
        cls, name: str | None = None, *args: Any, namespace: str | None = None, **kwargs: Any
    ) -> Handle:
        handle = super().__new__(cls)
        # name is None when unpickling: __setstate__ restores the state then.
        if name is not None:
            handle.__handle__ = cls.HandleInfo(
                name=name,
                namespace=compute_namespace(cls, namespace),
                args=args,
                kwargs=kwargs,
                class_name=cls.type_name,  # type: ignore[arg-type]
            )
        return handle

    def __repr__(self) -> str:
        info = self.__handle__
        return f"{info.class_name}(fullname={info.fullname}, hash={(info.hash or '')[:8]})"

    def __getattr__(self, attr: str) -> Any:
        # Only called for attributes not found normally: proxy to the wrapped connection.
        if "instance" in self.__dict__:
            return getattr(self.__dict__["instance"], attr)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{attr}'")

    def __getstate__(self) -> dict:
        return self.__handle__.get_state()

    def __setstate__(self, state: dict) -> None:
        self.__handle__ = self.HandleInfo(**state)
        self.__init__(state["name"], *state["args"], **state["kwargs"])  # type: ignore[misc]

    def get_hash(self, data: bytes | None = None) -> str:
        return self.__handle__.hash

    def apply_call(self, call_hash: str) -> Handle:
        """The state after a call with ``call_hash`` (the job's eval hash) returned it."""
        return self.__handle__.apply_call(self, call_hash)

    def fork(self, key: str) -> Handle:
        """A parallel branch of this state, told apart from siblings by ``key``."""
        return self.__handle__.fork(self, key)

    def is_valid(self) -> bool:
        """False once this state was rolled back (or never recorded), so caches skip it.

        Outside a running scheduler there is no repository to ask, and a Handle counts
        as valid.
        """
        if self.type_name != self.__handle__.class_name:
            # Serialized under another class name: the code it was made with is gone.
            return False
        scheduler = get_current_scheduler(required=False)
        if scheduler is None:
            return True
        handle_hash = self.__handle__.hash
        return get_validity(scheduler, [handle_hash]).get(handle_hash, False)

    def preprocess(self, preprocess_args: dict) -> Handle:
        """Fork on the way into a task; a keyed handle keeps its key (upstream's rule)."""
        call_order = preprocess_args.get("call_order", 0)
        handle2 = self.fork(self.__handle__.key or str(call_order))
        _note_states(self, handle2)
        return handle2

    def postprocess(self, postprocess_args: dict) -> Handle:
        """Advance on the way out of a task with the job's eval hash."""
        handle2 = self.apply_call(postprocess_args["pre_call_hash"])
        _note_states(self, handle2)
        return handle2


# -- recording ---------------------------------------------------------------------------


def handle_row(handle: Handle, parents: Iterable[str] = ()) -> HandleRow:
    """The ``handle`` row of one state (valid: the writer of a state vouches for it)."""
    from redun.backends.records import HandleRow

    info = handle.__handle__
    return HandleRow(info.hash, info.fullname, info.hash, info.key, True, tuple(parents))


def handle_rows(handle: Handle) -> list[Row]:
    """Rows recording ``handle`` and every ancestor state not recorded yet.

    Each state comes with its value row (``handle.value_hash`` points at it), and every
    edge's parent is in the same list or was queued before, so a batch never commits an
    edge to a missing state. A state is returned once per object; the rows are
    idempotent, so another object of the same state may repeat them harmlessly.
    """
    from redun.backends.records import ValueRow

    registry = get_type_registry()
    rows: list[Row] = []
    stack = [handle]
    while stack:
        current = stack.pop()
        info = current.__handle__
        if info.is_recorded:
            continue
        info.is_recorded = True
        parents, info.parents = info.parents, ()
        rows.append(
            ValueRow(
                info.hash,
                registry.get_type_name(type(current)),
                current.get_serialization_format(),
                current.serialize(),
            )
        )
        rows.append(handle_row(current, (parent.__handle__.hash for parent in parents)))
        stack.extend(parents)
    return rows


def get_validity(scheduler: Scheduler, hashes: Sequence[str]) -> dict[str, bool]:
    """Validity of handle states by hash, asked of the scheduler's backend.

    A state this run recorded a moment ago may still be among the scheduler's pending
    rows: on a miss they go to the backend and it is asked again.
    """
    backend = scheduler.backend
    found = backend.get_handle_validity(hashes)
    missing = [handle_hash for handle_hash in hashes if handle_hash not in found]
    if missing:
        scheduler.recorder.flush_pending()
        found.update(backend.get_handle_validity(missing))
    return found


# -- rollback ----------------------------------------------------------------------------

# States created or used by each running execution: its own rollbacks never touch them.
_execution_states: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def _note_states(*handles: Handle) -> None:
    scheduler = get_current_scheduler(required=False)
    execution = getattr(scheduler, "execution", None) if scheduler is not None else None
    if execution is None:
        return
    states = _execution_states.setdefault(execution, set())
    states.update(handle.__handle__.hash for handle in handles)


def perform_rollbacks(backend: RedunBackend, execution: Any, job: Job) -> set[str]:
    """Invalidate what earlier runs grew from the handle states ``job`` is about to use.

    Call it when ``job`` really runs (a cache miss, not a dry run), with its preprocessed
    arguments still on it: re-running a task on a state means the external system
    follows a new branch from there, so every state descended from it in earlier
    executions is stale. States of ``execution`` (the running one) are kept, so sibling
    jobs that share a state do not undo each other. ``backend`` holds the lineage.
    Returns the invalidated hashes.
    """
    handles = [
        value for value in iter_nested_value((job.args, job.kwargs)) if isinstance(value, Handle)
    ]
    if not handles:
        return set()
    keep = _execution_states.get(execution, set()) if execution is not None else set()
    invalid: set[str] = set()
    for handle in handles:
        info = handle.__handle__
        invalid |= backend.rollback_handle(info.hash, info.fullname, keep)
    return invalid


# -- merging -----------------------------------------------------------------------------


@scheduler_task(namespace="redun", version="1")
def merge_handles(
    scheduler: Scheduler,
    parent_job: Job,
    sexpr: SchedulerExpression,
    handles_expr: Any,
) -> Promise:
    """Join forks of one Handle back into a single state: the first handle given.

    The other states become its parents in the lineage, so rolling any of them back
    invalidates the merged state too.
    """

    def merge(handles: Any) -> Handle:
        handles = list(handles)
        if not handles or not all(isinstance(handle, Handle) for handle in handles):
            raise HandleError(f"merge_handles() needs a non-empty list of Handles, got {handles!r}")
        names = sorted({handle.__handle__.fullname for handle in handles})
        if len(names) != 1:
            raise HandleError(
                f"merge_handles() got handles of different systems {names}: merge forks of one"
            )
        final, others = handles[0], handles[1:]
        prov = parent_job is None or parent_job.options.get("prov") is not False
        if prov and not getattr(scheduler, "dryrun", False):
            rows: list[Row] = []
            for handle in handles:
                rows.extend(handle_rows(handle))
            parents = dict.fromkeys(h.__handle__.hash for h in others if h is not final)
            parents.pop(final.__handle__.hash, None)
            if parents:
                rows.append(handle_row(final, parents))
            if rows:
                scheduler.backend.write(rows)
        _note_states(*handles)
        return final

    return scheduler.evaluate(handles_expr, parent_job=parent_job).then(merge)


__all__ = [
    "Handle",
    "HandleError",
    "HandleInfo",
    "get_fullname",
    "get_handle_class",
    "get_validity",
    "handle_row",
    "handle_rows",
    "merge_handles",
    "perform_rollbacks",
]
