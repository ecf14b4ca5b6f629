"""daemon cycles

Revision ID: 0004_daemon
Revises: 0003_flapping
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

import monitor.store.models

revision = "0004_daemon"
down_revision = "0003_flapping"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "daemon_cycles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", monitor.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", monitor.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("crawl_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("programs", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.Column("alerts_sent", sa.Integer(), nullable=False),
        sa.Column("alerts_pending", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("notices", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["crawl_id"], ["crawls.id"]),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("daemon_cycles")
