"""Schema 3.4 (UTC timestamps): the oldest version these migrations start from.

Revision ID: 3b0a6e67cc58
Revises: (none here; upstream redun migrates older databases up to this point)
"""

revision = "3b0a6e67cc58"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Databases reach 3.4 through upstream redun; there is nothing to do from here.
    pass


def downgrade() -> None:
    raise NotImplementedError("redun cannot downgrade below schema 3.4")
