"""assessment: the last claim whose groups' changes are assessed, so that a pass reassesses only what it touched

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 00:30:00

No row after the upgrade: the next pass reassesses everything once.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_claim_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment")),
    )


def downgrade() -> None:
    op.drop_table("assessment")
