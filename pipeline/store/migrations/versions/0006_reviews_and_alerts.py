"""claim_reviews and alert_deliveries: analysts' reviews of claims, the webhook outbox

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 00:30:00

Reviews are keyed by the claim's key, not its row, so they outlive `claims
rebuild`; deliveries are recorded before they are sent (at least once, one
delivery id per change, alert and event).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claim_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_key", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("reviewer", sa.String(length=200), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_reviews")),
        sa.UniqueConstraint("claim_key", name=op.f("uq_claim_reviews_claim_key")),
    )
    op.create_table(
        "alert_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.String(length=64), nullable=False),
        sa.Column("alert", sa.String(length=200), nullable=False),
        sa.Column("change_key", sa.String(length=64), nullable=False),
        sa.Column("event", sa.String(length=20), nullable=False),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("change", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_deliveries")),
        sa.UniqueConstraint("alert", "change_key", "event", name=op.f("uq_alert_deliveries_alert_change_key_event")),
        sa.UniqueConstraint("delivery_id", name=op.f("uq_alert_deliveries_delivery_id")),
    )
    op.create_index(op.f("ix_alert_deliveries_status"), "alert_deliveries", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_alert_deliveries_status"), table_name="alert_deliveries")
    op.drop_table("alert_deliveries")
    op.drop_table("claim_reviews")
