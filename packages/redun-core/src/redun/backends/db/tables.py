"""The redun repository schema 3.5 as SQLAlchemy Core tables.

Table names, column names, types, nullability, indexes and foreign keys are those of
upstream redun's schema 3.5, so databases written by either implementation are
interchangeable. Everything that reads or writes the repository uses these tables with
SQLAlchemy Core; importing them does not import the ORM (startup time: every
``redun run`` pays for it). ``redun.backends.db.models`` maps ORM classes onto the same
tables for users who query the repository interactively.

Each ``Table`` is also reachable through a small class of the upstream model name
(``Job.__table__``, ``Job.__tablename__``), the spelling the rest of the code uses.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Enum,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
)

from redun.backends.db.types import JSON, DateTimeUTC, TagEntity

HASH_LEN = 40

metadata = MetaData()


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _hash(name: str, *args: object, **kwargs: object) -> Column:
    kwargs.setdefault("nullable", False)
    return Column(name, String(HASH_LEN), *args, **kwargs)


def _pattern_index(name: str, column: str, unique: bool = False) -> Index:
    # Prefix search on ids (`redun log 1a2b`) needs varchar_pattern_ops on PostgreSQL.
    return Index(name, column, unique=unique, postgresql_ops={column: "varchar_pattern_ops"})


redun_version = Table(
    "redun_version",
    metadata,
    Column("id", String, primary_key=True, default=lambda: str(uuid.uuid4())),
    Column("version", Integer, nullable=False, comment="Current database version."),
    Column("timestamp", DateTimeUTC, nullable=False, default=_utcnow),
)

alembic_version = Table(
    "alembic_version",
    metadata,
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)

value = Table(
    "value",
    metadata,
    _hash("value_hash", primary_key=True),
    # Upstream's SQLite databases keep the VARCHAR(100) of older schemas (a no-op there).
    Column("type", String().with_variant(String(100), "sqlite"), nullable=False, index=True),
    Column("format", String(100), nullable=False),
    Column("value", LargeBinary, nullable=False),
    _pattern_index("ix_value_value_hash_vpo", "value_hash", unique=True),
)

subvalue = Table(
    "subvalue",
    metadata,
    _hash("value_hash", ForeignKey("value.value_hash"), primary_key=True, index=True),
    _hash("parent_value_hash", ForeignKey("value.value_hash"), primary_key=True, index=True),
)

file = Table(
    "file",
    metadata,
    _hash("value_hash", ForeignKey("value.value_hash"), primary_key=True),
    Column("path", String(1024), nullable=False, index=True),
)

task = Table(
    "task",
    metadata,
    _hash("hash", primary_key=True),
    Column("name", String, nullable=False),
    Column("namespace", String, nullable=False),
    Column("source", String, nullable=False),
    _pattern_index("ix_task_hash_vpo", "hash", unique=True),
    _pattern_index("ix_task_name_vpo", "name"),
    _pattern_index("ix_task_namespace_vpo", "namespace"),
)

call_node = Table(
    "call_node",
    metadata,
    _hash("call_hash", primary_key=True),
    Column("task_name", String(1024), nullable=False),
    _hash("task_hash", ForeignKey("task.hash"), index=True),
    # Deliberately not indexed (upstream has no index on args_hash).
    _hash("args_hash"),
    _hash("value_hash", ForeignKey("value.value_hash"), index=True),
    Column("timestamp", DateTimeUTC, nullable=False, default=_utcnow),
    _pattern_index("ix_call_node_call_hash_vpo", "call_hash", unique=True),
)

call_edge = Table(
    "call_edge",
    metadata,
    _hash("parent_id", ForeignKey("call_node.call_hash"), primary_key=True, index=True),
    _hash("child_id", ForeignKey("call_node.call_hash"), primary_key=True, index=True),
    Column("call_order", Integer, primary_key=True),
)

call_subtree_task = Table(
    "call_subtree_task",
    metadata,
    _hash("call_hash", ForeignKey("call_node.call_hash"), primary_key=True, index=True),
    _hash("task_hash", ForeignKey("task.hash"), primary_key=True, index=True),
)

argument = Table(
    "argument",
    metadata,
    _hash("arg_hash", primary_key=True),
    _hash("call_hash", ForeignKey("call_node.call_hash"), index=True),
    _hash("value_hash", ForeignKey("value.value_hash"), index=True),
    Column("arg_position", Integer, nullable=True),
    Column("arg_key", String(100), nullable=True),
)

argument_result = Table(
    "argument_result",
    metadata,
    _hash("arg_hash", ForeignKey("argument.arg_hash"), primary_key=True, index=True),
    _hash("result_call_hash", ForeignKey("call_node.call_hash"), primary_key=True, index=True),
)

evaluation = Table(
    "evaluation",
    metadata,
    _hash("eval_hash", primary_key=True),
    _hash("task_hash", ForeignKey("task.hash"), index=True),
    _hash("args_hash"),
    _hash("value_hash", ForeignKey("value.value_hash"), index=True),
)

execution = Table(
    "execution",
    metadata,
    Column("id", String, primary_key=True),
    Column("args", String, nullable=False),
    # Root job; the job row may be written after the execution row, hence deferred.
    Column(
        "job_id",
        String,
        ForeignKey("job.id", deferrable=True, initially="deferred"),
        nullable=False,
        index=True,
    ),
    Column("updated_time", DateTimeUTC, nullable=True),
    _pattern_index("ix_execution_id_vpo", "id", unique=True),
)

job = Table(
    "job",
    metadata,
    Column("id", String, primary_key=True),
    Column("start_time", DateTimeUTC, nullable=False, index=True, default=_utcnow),
    Column("end_time", DateTimeUTC, nullable=True, index=True),
    _hash("task_hash", ForeignKey("task.hash"), index=True),
    Column("cached", Boolean, nullable=False, default=False),
    _hash("call_hash", ForeignKey("call_node.call_hash"), nullable=True, index=True),
    Column("parent_id", String, ForeignKey("job.id"), nullable=True, index=True),
    Column("execution_id", String, nullable=False, index=True),
    ForeignKeyConstraint(
        ["execution_id"],
        ["execution.id"],
        name="ct_job_execution_id",
        deferrable=True,
        initially="deferred",
    ),
    _pattern_index("ix_job_id_vpo", "id", unique=True),
)

handle = Table(
    "handle",
    metadata,
    _hash("hash", primary_key=True),
    Column("fullname", String(1024), nullable=False, index=True),
    _hash("value_hash", ForeignKey("value.value_hash"), index=True),
    Column("key", String(1024), nullable=False),
    Column("is_valid", Boolean, nullable=False, default=True),
)

handle_edge = Table(
    "handle_edge",
    metadata,
    _hash("parent_id", ForeignKey("handle.hash"), primary_key=True, index=True),
    _hash("child_id", ForeignKey("handle.hash"), primary_key=True, index=True),
)

tag = Table(
    "tag",
    metadata,
    _hash("tag_hash", primary_key=True),
    # The type name is the one upstream's migrations create (PostgreSQL stores it).
    Column("entity_type", Enum(TagEntity, name="tagentitytype"), nullable=False),
    Column("entity_id", String, nullable=False, index=True),
    Column("key", String, nullable=False, index=True),
    Column("value", JSON, nullable=False, index=True),
    Column("is_current", Boolean, nullable=False, default=True),
)

# Only current tags must be unique; edited (non-current) ones are history.
Index(
    "ix_tag_tag_hash_current",
    tag.c.tag_hash,
    unique=True,
    postgresql_where=tag.c.is_current,
    sqlite_where=tag.c.is_current,
)

tag_edit = Table(
    "tag_edit",
    metadata,
    Column("parent_id", String, ForeignKey("tag.tag_hash"), primary_key=True),
    Column("child_id", String, ForeignKey("tag.tag_hash"), primary_key=True),
)


class _TableRef:
    """The upstream model name of a table: ``Job.__table__`` is the ``job`` Table."""

    __table__: Table
    __tablename__: str


def _ref(name: str, table: Table) -> type[_TableRef]:
    return type(name, (_TableRef,), {"__table__": table, "__tablename__": table.name})


RedunVersion = _ref("RedunVersion", redun_version)
RedunMigration = _ref("RedunMigration", alembic_version)
Value = _ref("Value", value)
Subvalue = _ref("Subvalue", subvalue)
File = _ref("File", file)
Task = _ref("Task", task)
CallNode = _ref("CallNode", call_node)
CallEdge = _ref("CallEdge", call_edge)
CallSubtreeTask = _ref("CallSubtreeTask", call_subtree_task)
Argument = _ref("Argument", argument)
ArgumentResult = _ref("ArgumentResult", argument_result)
Evaluation = _ref("Evaluation", evaluation)
Execution = _ref("Execution", execution)
Job = _ref("Job", job)
Handle = _ref("Handle", handle)
HandleEdge = _ref("HandleEdge", handle_edge)
Tag = _ref("Tag", tag)
TagEdit = _ref("TagEdit", tag_edit)
