"""user import jobs and their logs of failed rows

Revision ID: 0025
Revises: 0023
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_import_jobs",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("job_id", sa.String(length=64), nullable=False),
        sa.Column("pool_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("role_arn", sa.String(length=2048), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.Column("started_at", sa.Float(), nullable=True),
        sa.Column("completed_at", sa.Float(), nullable=True),
        sa.Column("csv", sa.LargeBinary(), nullable=True),
        sa.Column("uploaded_at", sa.Float(), nullable=True),
        sa.Column("lines_done", sa.Integer(), nullable=False),
        sa.Column("claimed_until", sa.Float(), nullable=True),
        sa.Column("imported", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["pool_id"], ["pools.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("job_id"),
    )
    op.create_index("ix_user_import_jobs_pool", "user_import_jobs", ["pool_id", "seq"])
    op.create_index("ix_user_import_jobs_status", "user_import_jobs", ["status"])
    op.create_table(
        "user_import_errors",
        sa.Column("job_id", sa.String(length=64), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=128), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["user_import_jobs.job_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("job_id", "line"),
    )


def downgrade() -> None:
    op.drop_table("user_import_errors")
    op.drop_index("ix_user_import_jobs_status", table_name="user_import_jobs")
    op.drop_index("ix_user_import_jobs_pool", table_name="user_import_jobs")
    op.drop_table("user_import_jobs")
