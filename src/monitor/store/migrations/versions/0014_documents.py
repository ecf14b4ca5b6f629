"""documents: what a PDF's bytes read as (extraction cache keyed by content hash)

Revision ID: 0014
Revises: 0002_alerts
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

import monitor.store.models

revision = "0014"
down_revision = "0002_alerts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("reader", sa.String(length=40), nullable=False),
        sa.Column("text_id", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", monitor.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["text_id"], ["texts.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sha256", "reader"),
    )


def downgrade() -> None:
    op.drop_table("documents")
