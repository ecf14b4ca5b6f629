"""page validators: ETag, Last-Modified and body hash per URL, with the reading they gave

Revision ID: 0005_validators
Revises: 0004_daemon
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_validators"
down_revision = "0004_daemon"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "page_validators",
        sa.Column("url_id", sa.Integer(), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("body_sha256", sa.String(length=64), nullable=False),
        sa.Column("text_id", sa.Integer(), nullable=False),
        sa.Column("classifier_version", sa.String(length=32), nullable=False),
        sa.Column("verdict", sa.JSON(), nullable=False),
        sa.Column("links", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["text_id"], ["texts.id"]),
        sa.ForeignKeyConstraint(["url_id"], ["urls.id"]),
        sa.PrimaryKeyConstraint("url_id"),
    )


def downgrade() -> None:
    op.drop_table("page_validators")
