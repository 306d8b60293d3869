"""tasks: the transactional outbox of queued work ([queue] broker)

Revision ID: 0008_outbox
Revises: 0007_web
Create Date: 2026-12-02 02:00:00

Work for the workers is recorded in the transaction that caused it and
published after commit; the broker only carries each task's id.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_outbox"
down_revision = "0007_web"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sends", sa.Integer(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_tasks_run_id_runs"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
        sa.UniqueConstraint("run_id", "kind", "key", name=op.f("uq_tasks_run_id_kind_key")),
    )
    op.create_index("ix_tasks_unfinished", "tasks", ["run_id"], unique=False,
                    postgresql_where=sa.text("done_at IS NULL"), sqlite_where=sa.text("done_at IS NULL"))


def downgrade() -> None:
    op.drop_index("ix_tasks_unfinished", table_name="tasks")
    op.drop_table("tasks")
