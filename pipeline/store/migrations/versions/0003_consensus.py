"""consensus: schedule milestones in changes, each subject's consensus, articles' time of day

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 09:00:00

A change is identified by the reading that made it (its article) within its
topic, subject, kind and milestone: the reading shown as "previous" may move
when an earlier-dated article arrives later, and that is the same change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("milestone", sa.String(length=10), server_default="", nullable=False))
        # op.f(): the name as 0001 created it (PostgreSQL's is truncated to 63 characters with a hash).
        batch_op.drop_constraint(batch_op.f("uq_changes_topic_subject_kind_previous_article_id_current_article_id"),
                                 type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_changes_topic_subject_kind_milestone_current_article_id"),
            ["topic", "subject", "kind", "milestone", "current_article_id"])
    # Schedules without a milestone were compared as a whole: the `last` milestone now.
    op.execute("UPDATE changes SET milestone = 'last' WHERE kind = 'delivery_schedule'")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "consensus",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=100), nullable=False),
        sa.Column("subject", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("milestone", sa.String(length=10), server_default="", nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consensus")),
        sa.UniqueConstraint("seq", name=op.f("uq_consensus_seq")),
    )


def downgrade() -> None:
    op.drop_table("consensus")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("published_at")
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_changes_topic_subject_kind_milestone_current_article_id"),
                                 type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_changes_topic_subject_kind_previous_article_id_current_article_id"),
            ["topic", "subject", "kind", "previous_article_id", "current_article_id"])
        batch_op.drop_column("milestone")
