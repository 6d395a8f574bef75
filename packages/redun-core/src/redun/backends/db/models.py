"""ORM classes over the repository tables, for interactive queries (``redun repl``-style).

redun itself reads and writes with SQLAlchemy Core through ``redun.backends.db.tables``
and never imports this module on its hot path: the ORM costs about a tenth of a second
to import. The classes keep upstream's names; each is mapped onto the table of the same
schema, so ``session.query(Job).filter(Job.cached)`` works on any repository.
"""

from __future__ import annotations

from sqlalchemy.orm import registry

from redun.backends.db import tables

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


def _fullname(self: object) -> str:
    return f"{self.namespace}.{self.name}" if self.namespace else self.name


RedunVersion = _map("RedunVersion", tables.redun_version)
RedunMigration = _map("RedunMigration", tables.alembic_version)
Value = _map("Value", tables.value)
Subvalue = _map("Subvalue", tables.subvalue)
File = _map("File", tables.file)
Task = _map("Task", tables.task, fullname=property(_fullname))
CallNode = _map("CallNode", tables.call_node)
CallEdge = _map("CallEdge", tables.call_edge)
CallSubtreeTask = _map("CallSubtreeTask", tables.call_subtree_task)
Argument = _map("Argument", tables.argument)
ArgumentResult = _map("ArgumentResult", tables.argument_result)
Evaluation = _map("Evaluation", tables.evaluation)
Execution = _map("Execution", tables.execution)
Job = _map("Job", tables.job)
Handle = _map("Handle", tables.handle)
HandleEdge = _map("HandleEdge", tables.handle_edge)
Tag = _map("Tag", tables.tag)
TagEdit = _map("TagEdit", tables.tag_edit)
