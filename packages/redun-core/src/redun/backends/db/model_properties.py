"""Computed attributes of the ORM classes (parsed values, statuses, tag entities).

Kept apart from the mappings in ``models.py`` so each file holds one concern: what the
tables relate to, and what a person reading a record wants to see of it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import object_session

from redun.backends.db.preview import (
    MAX_VALUE_SIZE_PREVIEW,
    PICKLE_FORMAT,
    PreviewValue,
    trim,
)
from redun.backends.db.types import TagEntity

_models: dict[str, Any] = {}
ERROR_VALUE_TYPE = "redun.ErrorValue"
CONTEXT_TAG = "redun.context"


def bind_models(namespace: dict[str, Any]) -> None:
    """Let the properties below query the mapped classes once they exist."""
    _models.update(namespace)


def _session(obj: Any) -> Any:
    session = object_session(obj)
    if session is None:
        raise RuntimeError(f"{type(obj).__name__} is not attached to a session")
    return session


def _value_parsed(self: Any) -> Any:
    from redun.pickle_preview import pickle_preview

    data = self.value
    if not data:
        # Kept in the value store ([backend] value_store_path), not in the row.
        store = getattr(_session(self).backend, "value_store", None)
        if store is None:
            return None
        data, _ = store.get(self.value_hash)
    if self.format != PICKLE_FORMAT or not data:
        return None
    return pickle_preview(data)


def _value_preview(self: Any) -> Any:
    """The value, or a ``PreviewValue`` when it is too large to load (or its value-store
    file is missing)."""
    if self.value:
        size = len(self.value)
    else:
        store = getattr(_session(self).backend, "value_store", None)
        size = store.size(self.value_hash) if store is not None else 0
    if size > MAX_VALUE_SIZE_PREVIEW or size < 0:
        return PreviewValue(self, size)
    return _value_parsed(self)


def _value_repr(self: Any) -> str:
    return f"Value(hash='{self.value_hash[:8]}', value={trim(repr(self.value_parsed))})"


VALUE = {
    "value_parsed": property(_value_parsed),
    "preview": property(_value_preview),
    "in_value_store": property(lambda self: len(self.value) == 0),
    "__repr__": _value_repr,
}

FILE = {
    "values": property(lambda self: [self.value, *self.parent_values]),
    "__repr__": lambda self: f"File(hash='{self.value_hash[:8]}', path='{self.path}')",
}


def _fullname(self: Any) -> str:
    return f"{self.namespace}.{self.name}" if self.namespace else self.name


def _show_source(self: Any) -> None:
    print(self.source)


TASK = {
    "fullname": property(_fullname),
    "show_source": _show_source,
    "__repr__": lambda self: f"Task(hash='{self.hash[:8]}', name='{_fullname(self)}')",
}


def _neighbours(self: Any, mine: str, theirs: str) -> list[Any]:
    call_node, edge = _models["CallNode"], _models["CallEdge"]
    rows = _session(self).execute(
        select(call_node)
        .join(edge, getattr(edge, theirs) == call_node.call_hash)
        .where(getattr(edge, mine) == self.call_hash)
        .order_by(edge.call_order)
    )
    return [node for (node,) in rows]


def _args_display(self: Any) -> str:
    text = repr([arg.value_parsed for arg in self.arguments])
    return text if len(text) <= 100 else text[:96] + "...]"


CALL_NODE = {
    "value_parsed": property(lambda self: self.value.value_parsed if self.value else None),
    "children": property(lambda self: _neighbours(self, "parent_id", "child_id")),
    "parents": property(lambda self: _neighbours(self, "child_id", "parent_id")),
    "args_display": property(_args_display),
    "__repr__": lambda self: (
        f"CallNode(hash='{self.call_hash[:8]}', task_name='{self.task_name}', "
        f"args={self.args_display})"
    ),
}

ARGUMENT = {
    "value_parsed": property(lambda self: self.value.value_parsed if self.value else None),
    "__repr__": lambda self: (
        f"Argument(task_name='{self.call_node.task_name}', pos={self.arg_position}, "
        f"key={self.arg_key}, value={trim(repr(self.value_parsed))})"
    ),
}

EVALUATION = {
    "value_parsed": property(lambda self: self.value.value_parsed if self.value else None),
}


def _job_status(self: Any) -> str:
    node = self.call_node
    if node is not None and node.value is not None and node.value.type == ERROR_VALUE_TYPE:
        return "FAILED"
    if self.end_time is None:
        return "RUNNING"
    return "CACHED" if self.cached else "DONE"


def _job_duration(self: Any) -> timedelta | None:
    return None if self.end_time is None else self.end_time - self.start_time


def _job_context(self: Any) -> dict:
    if self.call_node is None:
        return {}
    for tag in self.call_node.tags:
        if tag.key == CONTEXT_TAG:
            # The tag names the value the context was recorded as.
            value = _session(self).get(_models["Value"], tag.value)
            return (value.value_parsed if value is not None else None) or {}
    return {}


def _status_display(self: Any) -> str:
    return "RUN " if self.status == "RUNNING" else self.status


JOB = {
    "status": property(_job_status),
    "status_display": property(_status_display),
    "duration": property(_job_duration),
    "context": property(_job_context),
    "__repr__": lambda self: (
        f"Job(id='{self.id[:8]}', start_time='{self.start_time}', "
        f"task_name={self.task.fullname if self.task else 'None'!r})"
    ),
}


def _execution_status(self: Any) -> str:
    status = self.job.status if self.job is not None else "FAILED"
    return "DONE" if status in ("DONE", "CACHED") else status


EXECUTION = {
    "call_node": property(lambda self: self.job.call_node if self.job else None),
    "task": property(
        lambda self: self.job.call_node.task if self.job and self.job.call_node else None
    ),
    "status": property(_execution_status),
    "status_display": property(_status_display),
    "__repr__": lambda self: (
        f"Execution(id='{self.id[:8]}', task_name='"
        f"{self.task.fullname if self.task else 'None'}', args={self.args})"
    ),
}

HANDLE = {
    "values": property(lambda self: [self.value, *self.parent_values]),
    "__repr__": lambda self: f"Handle(hash='{self.hash[:8]}', name='{self.fullname}')",
}

_ENTITY_KEYS = {
    TagEntity.Execution: ("Execution", "id"),
    TagEntity.Job: ("Job", "id"),
    TagEntity.CallNode: ("CallNode", "call_hash"),
    TagEntity.Task: ("Task", "hash"),
    TagEntity.Value: ("Value", "value_hash"),
}


def _tag_entity(self: Any) -> Any:
    entity_type = self.entity_type
    if isinstance(entity_type, str):
        entity_type = TagEntity(entity_type)
    if entity_type not in _ENTITY_KEYS:
        raise ValueError(f"tag {self.tag_hash[:8]} has no entity ({entity_type})")
    name, key = _ENTITY_KEYS[entity_type]
    cls = _models[name]
    return _session(self).query(cls).filter(getattr(cls, key) == self.entity_id).one()


TAG = {
    "entity": property(_tag_entity),
    "base_key": property(lambda self: self.key.rsplit(".", 1)[-1]),
    "namespace": property(lambda self: self.key.rsplit(".", 1)[0] if "." in self.key else ""),
    "value_parsed": property(lambda self: self.value),
    "__repr__": lambda self: (
        f"Tag(tag_hash={self.tag_hash[:8]}, entity_id={self.entity_id[:8]}, "
        f"key={self.key}, value={self.value!r})"
    ),
}
