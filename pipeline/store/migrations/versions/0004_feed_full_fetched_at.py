"""feeds.full_fetched_at: when a feed's full body last came (a 200), for the periodic unconditional refresh

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 23:30:00

Existing feeds start with NULL: their next poll is unconditional once.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feeds") as batch:
        batch.add_column(sa.Column("full_fetched_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feeds") as batch:
        batch.drop_column("full_fetched_at")
