"""Schema 3.5: executions record a heartbeat in ``execution.updated_time``.

Revision ID: 0bee3d6dba76
Revises: 3b0a6e67cc58
"""

import sqlalchemy as sa
from alembic import op

from redun.backends.db.types import DateTimeUTC

revision = "0bee3d6dba76"
down_revision = "3b0a6e67cc58"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("execution") as batch:
        batch.add_column(sa.Column("updated_time", DateTimeUTC(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("execution") as batch:
        batch.drop_column("updated_time")
