"""flapping: whether a program alternates between stances it held in its last crawls

Revision ID: 0003_flapping
Revises: 0003_evidence
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_flapping"
down_revision = "0003_evidence"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("programs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("flapping", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("programs", schema=None) as batch_op:
        batch_op.drop_column("flapping")
