"""evidence of real H-1B use: USCIS filings, trainee LCAs, employer matches

Revision ID: 0003_evidence
Revises: 0014
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

import monitor.store.models

revision = "0003_evidence"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_kept", sa.Integer(), nullable=False),
        sa.Column("imported_at", monitor.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("evidence_imports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_imports_sha256"), ["sha256"], unique=False)

    op.create_table(
        "employer_matches",
        sa.Column("program_slug", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("city_key", sa.String(length=120), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("employer", sa.Text(), nullable=False),
        sa.Column("matched_at", monitor.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("program_slug", "name_key", "city_key", "state"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "lca_cases",
        sa.Column("case_number", sa.String(length=40), nullable=False),
        sa.Column("fiscal_year", sa.SmallInteger(), nullable=False),
        sa.Column("case_status", sa.String(length=24), nullable=False),
        sa.Column("received_date", sa.Date(), nullable=True),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("job_title", sa.Text(), nullable=False),
        sa.Column("soc_code", sa.String(length=16), nullable=False),
        sa.Column("soc_title", sa.Text(), nullable=False),
        sa.Column("workers", sa.Integer(), nullable=False),
        sa.Column("employer", sa.Text(), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=False),
        sa.Column("trade_name", sa.Text(), nullable=False),
        sa.Column("trade_key", sa.Text(), nullable=False),
        sa.Column("employer_city", sa.Text(), nullable=False),
        sa.Column("employer_city_key", sa.Text(), nullable=False),
        sa.Column("employer_state", sa.String(length=8), nullable=False),
        sa.Column("worksite_city", sa.Text(), nullable=False),
        sa.Column("worksite_city_key", sa.Text(), nullable=False),
        sa.Column("worksite_state", sa.String(length=8), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["evidence_imports.id"]),
        sa.PrimaryKeyConstraint("case_number"),
    )
    with op.batch_alter_table("lca_cases", schema=None) as batch_op:
        batch_op.create_index("ix_lca_cases_name_key", ["name_key"], unique=False)
        batch_op.create_index("ix_lca_cases_trade_key", ["trade_key"], unique=False)

    op.create_table(
        "uscis_filings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fiscal_year", sa.SmallInteger(), nullable=False),
        sa.Column("employer", sa.Text(), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=False),
        sa.Column("tax_id", sa.String(length=32), nullable=False),
        sa.Column("naics", sa.Text(), nullable=False),
        sa.Column("city", sa.Text(), nullable=False),
        sa.Column("city_key", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("zip", sa.String(length=16), nullable=False),
        sa.Column("initial_approvals", sa.Integer(), nullable=False),
        sa.Column("initial_denials", sa.Integer(), nullable=False),
        sa.Column("continuing_approvals", sa.Integer(), nullable=False),
        sa.Column("continuing_denials", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["evidence_imports.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("fiscal_year", "employer", "tax_id", "city", "state", "zip", "naics",
                            name="uq_uscis_filings_line"),
    )
    with op.batch_alter_table("uscis_filings", schema=None) as batch_op:
        batch_op.create_index("ix_uscis_filings_name_key", ["name_key", "state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("uscis_filings", schema=None) as batch_op:
        batch_op.drop_index("ix_uscis_filings_name_key")
    op.drop_table("uscis_filings")
    with op.batch_alter_table("lca_cases", schema=None) as batch_op:
        batch_op.drop_index("ix_lca_cases_trade_key")
        batch_op.drop_index("ix_lca_cases_name_key")
    op.drop_table("lca_cases")
    op.drop_table("employer_matches")
    with op.batch_alter_table("evidence_imports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_imports_sha256"))
    op.drop_table("evidence_imports")
