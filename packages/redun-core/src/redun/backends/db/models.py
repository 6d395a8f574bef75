"""ORM classes over the repository tables, for querying provenance from Python.

redun itself reads and writes with SQLAlchemy Core through ``redun.backends.db.tables``
and never imports this module on its hot path: the ORM costs about a tenth of a second
to import. The classes keep upstream's names and relationships (``Execution.job``,
``Job.call_node``, ``CallNode.arguments``, ``Value.results``, ``Tag.entity``, ...), so
the queries upstream's database guide teaches work on any repository::

    session = scheduler.backend.session
    job = session.query(Job).filter(Job.id.like("1a2b%")).one()
    job.call_node.value.value_parsed
"""

from __future__ import annotations

from sqlalchemy import and_, inspect
from sqlalchemy.orm import foreign, registry, relationship, remote

from redun.backends.db import model_properties as props
from redun.backends.db import tables
from redun.backends.db.types import TagEntity

mapper_registry = registry(metadata=tables.metadata)
metadata = tables.metadata
HASH_LEN = tables.HASH_LEN


class Base:
    """Common base of the mapped classes."""

    __table__ = None

    def __repr__(self) -> str:
        table = type(self).__table__
        keys = ", ".join(f"{c.name}={getattr(self, c.name)!r}" for c in table.primary_key)
        return f"{type(self).__name__}({keys})"


def _map(name: str, table: object, **namespace: object) -> type:
    cls = type(name, (Base,), {"__table__": table, "__tablename__": table.name, **namespace})
    mapper_registry.map_imperatively(cls, table)
    return cls


RedunVersion = _map("RedunVersion", tables.redun_version)
RedunMigration = _map("RedunMigration", tables.alembic_version)
Value = _map("Value", tables.value, **props.VALUE)
Subvalue = _map("Subvalue", tables.subvalue)
File = _map("File", tables.file, **props.FILE)
Task = _map("Task", tables.task, **props.TASK)
CallNode = _map("CallNode", tables.call_node, **props.CALL_NODE)
CallEdge = _map("CallEdge", tables.call_edge)
CallSubtreeTask = _map("CallSubtreeTask", tables.call_subtree_task)
Argument = _map("Argument", tables.argument, **props.ARGUMENT)
ArgumentResult = _map("ArgumentResult", tables.argument_result)
Evaluation = _map("Evaluation", tables.evaluation, **props.EVALUATION)
Execution = _map("Execution", tables.execution, **props.EXECUTION)
Job = _map("Job", tables.job, **props.JOB)
Handle = _map("Handle", tables.handle, **props.HANDLE)
HandleEdge = _map("HandleEdge", tables.handle_edge)
Tag = _map("Tag", tables.tag, **props.TAG)
TagEdit = _map("TagEdit", tables.tag_edit)

props.bind_models(globals())


def _add(cls: type, **relationships: object) -> None:
    mapper = inspect(cls)
    for name, prop in relationships.items():
        mapper.add_property(name, prop)


def _tags(key_column: object, entity: TagEntity) -> object:
    return relationship(
        Tag,
        primaryjoin=and_(
            foreign(tables.tag.c.entity_id) == key_column,
            tables.tag.c.entity_type == entity,
            tables.tag.c.is_current.is_(True),
        ),
        viewonly=True,
        uselist=True,
    )


t = tables
_ro = {"viewonly": True}

_add(
    Subvalue,
    parent=relationship(Value, foreign_keys=[t.subvalue.c.parent_value_hash], **_ro),
    child=relationship(Value, foreign_keys=[t.subvalue.c.value_hash], **_ro),
)
_add(
    Value,
    children=relationship(
        Value,
        secondary=t.subvalue,
        primaryjoin=t.value.c.value_hash == t.subvalue.c.parent_value_hash,
        secondaryjoin=t.value.c.value_hash == t.subvalue.c.value_hash,
        **_ro,
    ),
    parents=relationship(
        Value,
        secondary=t.subvalue,
        primaryjoin=t.value.c.value_hash == t.subvalue.c.value_hash,
        secondaryjoin=t.value.c.value_hash == t.subvalue.c.parent_value_hash,
        **_ro,
    ),
    child_edges=relationship(Subvalue, foreign_keys=[t.subvalue.c.parent_value_hash], **_ro),
    parent_edges=relationship(Subvalue, foreign_keys=[t.subvalue.c.value_hash], **_ro),
    file=relationship(File, uselist=False, **_ro),
    subfiles=relationship(
        File,
        secondary=t.subvalue,
        primaryjoin=t.value.c.value_hash == t.subvalue.c.parent_value_hash,
        secondaryjoin=t.file.c.value_hash == t.subvalue.c.value_hash,
        **_ro,
    ),
    arguments=relationship(Argument, **_ro),
    evals=relationship(Evaluation, **_ro),
    results=relationship(CallNode, **_ro),
    handle=relationship(Handle, uselist=False, **_ro),
    subhandles=relationship(
        Handle,
        secondary=t.subvalue,
        primaryjoin=t.value.c.value_hash == t.subvalue.c.parent_value_hash,
        secondaryjoin=t.handle.c.value_hash == t.subvalue.c.value_hash,
        **_ro,
    ),
    task=relationship(
        Task,
        primaryjoin=t.value.c.value_hash == foreign(t.task.c.hash),
        uselist=False,
        **_ro,
    ),
    tags=_tags(t.value.c.value_hash, TagEntity.Value),
)
_add(
    File,
    value=relationship(Value, uselist=False, **_ro),
    parent_values=relationship(
        Value,
        secondary=t.subvalue,
        primaryjoin=t.file.c.value_hash == t.subvalue.c.value_hash,
        secondaryjoin=t.value.c.value_hash == t.subvalue.c.parent_value_hash,
        **_ro,
    ),
)
_add(
    ArgumentResult,
    arg=relationship(Argument, **_ro),
    result_call_node=relationship(CallNode, **_ro),
)
_add(
    Argument,
    value=relationship(Value, **_ro),
    call_node=relationship(CallNode, **_ro),
    upstream=relationship(
        CallNode,
        secondary=t.argument_result,
        primaryjoin=t.argument.c.arg_hash == t.argument_result.c.arg_hash,
        secondaryjoin=t.call_node.c.call_hash == t.argument_result.c.result_call_hash,
        **_ro,
    ),
    arg_results=relationship(ArgumentResult, **_ro),
)
_add(
    Evaluation,
    task=relationship(Task, uselist=False, **_ro),
    value=relationship(Value, **_ro),
)
_add(
    CallEdge,
    parent_node=relationship(CallNode, foreign_keys=[t.call_edge.c.parent_id], **_ro),
    child_node=relationship(CallNode, foreign_keys=[t.call_edge.c.child_id], **_ro),
)
_add(
    CallNode,
    task=relationship(Task, uselist=False, **_ro),
    value=relationship(Value, uselist=False, **_ro),
    task_set=relationship(
        Task,
        secondary=t.call_subtree_task,
        primaryjoin=t.call_node.c.call_hash == t.call_subtree_task.c.call_hash,
        secondaryjoin=t.task.c.hash == t.call_subtree_task.c.task_hash,
        **_ro,
    ),
    tags=_tags(t.call_node.c.call_hash, TagEntity.CallNode),
    arguments=relationship(Argument, order_by=t.argument.c.arg_position, **_ro),
    downstream=relationship(
        Argument,
        secondary=t.argument_result,
        primaryjoin=t.call_node.c.call_hash == t.argument_result.c.result_call_hash,
        secondaryjoin=t.argument.c.arg_hash == t.argument_result.c.arg_hash,
        **_ro,
    ),
    arg_results=relationship(ArgumentResult, **_ro),
    child_edges=relationship(CallEdge, foreign_keys=[t.call_edge.c.parent_id], **_ro),
    parent_edges=relationship(CallEdge, foreign_keys=[t.call_edge.c.child_id], **_ro),
    jobs=relationship(Job, **_ro),
)
_add(
    CallSubtreeTask,
    call_node=relationship(CallNode, uselist=False, **_ro),
    task=relationship(Task, uselist=False, **_ro),
)
_add(
    Handle,
    value=relationship(Value, uselist=False, **_ro),
    parent_values=relationship(
        Value,
        secondary=t.subvalue,
        primaryjoin=t.handle.c.value_hash == t.subvalue.c.value_hash,
        secondaryjoin=t.value.c.value_hash == t.subvalue.c.parent_value_hash,
        **_ro,
    ),
    children=relationship(
        Handle,
        secondary=t.handle_edge,
        primaryjoin=t.handle.c.hash == t.handle_edge.c.parent_id,
        secondaryjoin=t.handle.c.hash == t.handle_edge.c.child_id,
        **_ro,
    ),
    parents=relationship(
        Handle,
        secondary=t.handle_edge,
        primaryjoin=t.handle.c.hash == t.handle_edge.c.child_id,
        secondaryjoin=t.handle.c.hash == t.handle_edge.c.parent_id,
        **_ro,
    ),
)
_add(
    Execution,
    job=relationship(Job, foreign_keys=[t.execution.c.job_id], uselist=False, **_ro),
    jobs=relationship(
        Job,
        primaryjoin=t.execution.c.id == foreign(t.job.c.execution_id),
        order_by=t.job.c.start_time,
        **_ro,
    ),
    tags=_tags(t.execution.c.id, TagEntity.Execution),
)
_add(
    Job,
    task=relationship(Task, uselist=False, **_ro),
    call_node=relationship(CallNode, uselist=False, **_ro),
    child_jobs=relationship(
        Job,
        primaryjoin=t.job.c.id == foreign(t.job.c.parent_id),
        order_by=t.job.c.start_time,
        **_ro,
    ),
    parent_job=relationship(
        Job,
        primaryjoin=remote(t.job.c.id) == foreign(t.job.c.parent_id),
        uselist=False,
        **_ro,
    ),
    execution=relationship(
        Execution,
        primaryjoin=remote(t.execution.c.id) == foreign(t.job.c.execution_id),
        uselist=False,
        **_ro,
    ),
    tags=_tags(t.job.c.id, TagEntity.Job),
)
_add(
    Task,
    value=relationship(
        Value,
        primaryjoin=foreign(t.task.c.hash) == remote(t.value.c.value_hash),
        uselist=False,
        **_ro,
    ),
    tags=_tags(t.task.c.hash, TagEntity.Task),
    evals=relationship(Evaluation, **_ro),
    call_nodes=relationship(CallNode, **_ro),
    jobs=relationship(Job, **_ro),
)
_add(
    TagEdit,
    parent=relationship(Tag, foreign_keys=[t.tag_edit.c.parent_id], **_ro),
    child=relationship(Tag, foreign_keys=[t.tag_edit.c.child_id], **_ro),
)


def _tagged(target: type, column: object, entity: TagEntity) -> object:
    return relationship(
        target,
        primaryjoin=and_(
            foreign(t.tag.c.entity_id) == remote(column), t.tag.c.entity_type == entity
        ),
        **_ro,
    )


_add(
    Tag,
    parents=relationship(
        Tag,
        secondary=t.tag_edit,
        primaryjoin=t.tag.c.tag_hash == t.tag_edit.c.child_id,
        secondaryjoin=t.tag.c.tag_hash == t.tag_edit.c.parent_id,
        **_ro,
    ),
    children=relationship(
        Tag,
        secondary=t.tag_edit,
        primaryjoin=t.tag.c.tag_hash == t.tag_edit.c.parent_id,
        secondaryjoin=t.tag.c.tag_hash == t.tag_edit.c.child_id,
        **_ro,
    ),
    child_edits=relationship(TagEdit, foreign_keys=[t.tag_edit.c.parent_id], **_ro),
    parent_edits=relationship(TagEdit, foreign_keys=[t.tag_edit.c.child_id], **_ro),
    call_nodes=_tagged(CallNode, t.call_node.c.call_hash, TagEntity.CallNode),
    executions=_tagged(Execution, t.execution.c.id, TagEntity.Execution),
    jobs=_tagged(Job, t.job.c.id, TagEntity.Job),
    values=_tagged(Value, t.value.c.value_hash, TagEntity.Value),
    tasks=_tagged(Task, t.task.c.hash, TagEntity.Task),
)
