"""SQLAlchemy models of the redun repository, schema 3.5.

Table names, column names, types, nullability, indexes and foreign keys are those of
upstream redun's schema 3.5, so databases written by either implementation are
interchangeable. The writer and the queries use the ``__table__`` of these classes with
SQLAlchemy Core; the ORM classes exist for users who query the repository directly.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    Enum,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from redun.backends.db.types import JSON, DateTimeUTC, TagEntity

HASH_LEN = 40


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _pattern_index(name: str, column: str, unique: bool = False) -> Index:
    # Prefix search on ids (`redun log 1a2b`) needs varchar_pattern_ops on PostgreSQL.
    return Index(name, column, unique=unique, postgresql_ops={column: "varchar_pattern_ops"})


class Base(DeclarativeBase):
    """Declarative base whose metadata is the whole redun schema."""


class RedunVersion(Base):
    """One row per schema change; the newest row's ``version`` is the major version."""

    __tablename__ = "redun_version"

    id: Mapped[str] = mapped_column(String, primary_key=True, default=lambda: str(uuid.uuid4()))
    version: Mapped[int] = mapped_column(Integer, comment="Current database version.")
    timestamp: Mapped[datetime] = mapped_column(DateTimeUTC, default=_utcnow)


class RedunMigration(Base):
    """Alembic's revision marker; its id gives the minor version."""

    __tablename__ = "alembic_version"
    __table_args__ = (PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),)

    version_num: Mapped[str] = mapped_column(String(32))


class Value(Base):
    __tablename__ = "value"
    __table_args__ = (_pattern_index("ix_value_value_hash_vpo", "value_hash", unique=True),)

    value_hash: Mapped[str] = mapped_column(String(HASH_LEN), primary_key=True)
    # Upstream's SQLite databases keep the VARCHAR(100) of older schemas (a no-op there).
    type: Mapped[str] = mapped_column(String().with_variant(String(100), "sqlite"), index=True)
    format: Mapped[str] = mapped_column(String(100))
    value: Mapped[bytes] = mapped_column(LargeBinary)


class Subvalue(Base):
    __tablename__ = "subvalue"

    value_hash: Mapped[str] = mapped_column(
        String(HASH_LEN), ForeignKey("value.value_hash"), primary_key=True, index=True
    )
    parent_value_hash: Mapped[str] = mapped_column(
        String(HASH_LEN), ForeignKey("value.value_hash"), primary_key=True, index=True
    )


class File(Base):
    __tablename__ = "file"

    value_hash: Mapped[str] = mapped_column(
        String(HASH_LEN), ForeignKey("value.value_hash"), primary_key=True
    )
    path: Mapped[str] = mapped_column(String(1024), index=True)


class Task(Base):
    __tablename__ = "task"
    __table_args__ = (
        _pattern_index("ix_task_hash_vpo", "hash", unique=True),
        _pattern_index("ix_task_name_vpo", "name"),
        _pattern_index("ix_task_namespace_vpo", "namespace"),
    )

    hash: Mapped[str] = mapped_column(String(HASH_LEN), primary_key=True)
    name: Mapped[str] = mapped_column(String)
    namespace: Mapped[str] = mapped_column(String)
    source: Mapped[str] = mapped_column(String)

    @property
    def fullname(self) -> str:
        return f"{self.namespace}.{self.name}" if self.namespace else self.name


class CallNode(Base):
    __tablename__ = "call_node"
    __table_args__ = (_pattern_index("ix_call_node_call_hash_vpo", "call_hash", unique=True),)

    call_hash: Mapped[str] = mapped_column(String(HASH_LEN), primary_key=True)
    task_name: Mapped[str] = mapped_column(String(1024))
    task_hash: Mapped[str] = mapped_column(String(HASH_LEN), ForeignKey("task.hash"), index=True)
    # Deliberately not indexed (upstream has no index on args_hash).
    args_hash: Mapped[str] = mapped_column(String(HASH_LEN))
    value_hash: Mapped[str] = mapped_column(
        String(HASH_LEN), ForeignKey("value.value_hash"), index=True
    )
    timestamp: Mapped[datetime] = mapped_column(DateTimeUTC, default=_utcnow)


class CallEdge(Base):
    __tablename__ = "call_edge"

    parent_id: Mapped[str] = mapped_column(
        String(HASH_LEN), ForeignKey("call_node.call_hash"), primary_key=True, index=True
    )
    child_id: Mapped[str] = mapped_column(
        String(HASH_LEN), ForeignKey("call_node.call_hash"), primary_key=True, index=True
    )
    call_order: Mapped[int] = mapped_column(Integer, primary_key=True)


class CallSubtreeTask(Base):
    __tablename__ = "call_subtree_task"

    call_hash: Mapped[str] = mapped_column(
        String(HASH_LEN), ForeignKey("call_node.call_hash"), primary_key=True, index=True
    )
    task_hash: Mapped[str] = mapped_column(
        String(HASH_LEN), ForeignKey("task.hash"), primary_key=True, index=True
    )


class Argument(Base):
    __tablename__ = "argument"

    arg_hash: Mapped[str] = mapped_column(String(HASH_LEN), primary_key=True)
    call_hash: Mapped[str] = mapped_column(
        String(HASH_LEN), ForeignKey("call_node.call_hash"), index=True
    )
    value_hash: Mapped[str] = mapped_column(
        String(HASH_LEN), ForeignKey("value.value_hash"), index=True
    )
    arg_position: Mapped[int | None] = mapped_column(Integer)
    arg_key: Mapped[str | None] = mapped_column(String(100))


class ArgumentResult(Base):
    __tablename__ = "argument_result"

    arg_hash: Mapped[str] = mapped_column(
        String(HASH_LEN), ForeignKey("argument.arg_hash"), primary_key=True, index=True
    )
    result_call_hash: Mapped[str] = mapped_column(
        String(HASH_LEN), ForeignKey("call_node.call_hash"), primary_key=True, index=True
    )


class Evaluation(Base):
    __tablename__ = "evaluation"

    eval_hash: Mapped[str] = mapped_column(String(HASH_LEN), primary_key=True)
    task_hash: Mapped[str] = mapped_column(String(HASH_LEN), ForeignKey("task.hash"), index=True)
    args_hash: Mapped[str] = mapped_column(String(HASH_LEN))
    value_hash: Mapped[str] = mapped_column(
        String(HASH_LEN), ForeignKey("value.value_hash"), index=True
    )


class Execution(Base):
    __tablename__ = "execution"
    __table_args__ = (_pattern_index("ix_execution_id_vpo", "id", unique=True),)

    id: Mapped[str] = mapped_column(String, primary_key=True)
    args: Mapped[str] = mapped_column(String)
    # Root job; the job row may be written after the execution row, hence deferred.
    job_id: Mapped[str] = mapped_column(
        String, ForeignKey("job.id", deferrable=True, initially="deferred"), index=True
    )
    updated_time: Mapped[datetime | None] = mapped_column(DateTimeUTC)


class Job(Base):
    __tablename__ = "job"
    __table_args__ = (
        ForeignKeyConstraint(
            ["execution_id"],
            ["execution.id"],
            name="ct_job_execution_id",
            deferrable=True,
            initially="deferred",
        ),
        _pattern_index("ix_job_id_vpo", "id", unique=True),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    start_time: Mapped[datetime] = mapped_column(DateTimeUTC, index=True, default=_utcnow)
    end_time: Mapped[datetime | None] = mapped_column(DateTimeUTC, index=True)
    task_hash: Mapped[str] = mapped_column(String(HASH_LEN), ForeignKey("task.hash"), index=True)
    cached: Mapped[bool] = mapped_column(Boolean, default=False)
    call_hash: Mapped[str | None] = mapped_column(
        String(HASH_LEN), ForeignKey("call_node.call_hash"), index=True
    )
    parent_id: Mapped[str | None] = mapped_column(String, ForeignKey("job.id"), index=True)
    execution_id: Mapped[str] = mapped_column(String, index=True)


class Handle(Base):
    __tablename__ = "handle"

    hash: Mapped[str] = mapped_column(String(HASH_LEN), primary_key=True)
    fullname: Mapped[str] = mapped_column(String(1024), index=True)
    value_hash: Mapped[str] = mapped_column(
        String(HASH_LEN), ForeignKey("value.value_hash"), index=True
    )
    key: Mapped[str] = mapped_column(String(1024))
    is_valid: Mapped[bool] = mapped_column(Boolean, default=True)


class HandleEdge(Base):
    __tablename__ = "handle_edge"

    parent_id: Mapped[str] = mapped_column(
        String(HASH_LEN), ForeignKey("handle.hash"), primary_key=True, index=True
    )
    child_id: Mapped[str] = mapped_column(
        String(HASH_LEN), ForeignKey("handle.hash"), primary_key=True, index=True
    )


class Tag(Base):
    __tablename__ = "tag"

    tag_hash: Mapped[str] = mapped_column(String(HASH_LEN), primary_key=True)
    # The type name is the one upstream's migrations create (PostgreSQL stores it).
    entity_type: Mapped[TagEntity] = mapped_column(Enum(TagEntity, name="tagentitytype"))
    entity_id: Mapped[str] = mapped_column(String, index=True)
    key: Mapped[str] = mapped_column(String, index=True)
    value: Mapped[object] = mapped_column(JSON, index=True)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)


# Only current tags must be unique; edited (non-current) ones are history.
Index(
    "ix_tag_tag_hash_current",
    Tag.__table__.c.tag_hash,
    unique=True,
    postgresql_where=Tag.__table__.c.is_current,
    sqlite_where=Tag.__table__.c.is_current,
)


class TagEdit(Base):
    __tablename__ = "tag_edit"

    parent_id: Mapped[str] = mapped_column(String, ForeignKey("tag.tag_hash"), primary_key=True)
    child_id: Mapped[str] = mapped_column(String, ForeignKey("tag.tag_hash"), primary_key=True)


metadata = Base.metadata
