"""Alembic environment: migrations run on the connection redun hands over.

redun always drives Alembic programmatically (``redun.backends.db.migrate``) with an
open connection and transaction in ``config.attributes["connection"]``, so the
migration and the ``redun_version`` row that records it commit together.
"""

from __future__ import annotations

from alembic import context

from redun.backends.db.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("redun migrations run through `redun db upgrade|downgrade`, not alembic")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
