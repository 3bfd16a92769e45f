"""user pool domains and resource servers

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_pool_domains",
        sa.Column("domain", sa.String(length=255), nullable=False),
        sa.Column("pool_id", sa.String(length=64), nullable=False),
        sa.Column("custom", sa.Boolean(), nullable=False),
        sa.Column("certificate_arn", sa.String(length=2048), nullable=True),
        sa.Column("managed_login_version", sa.Integer(), nullable=True),
        sa.Column("cloudfront", sa.String(length=255), nullable=False),
        sa.Column("version", sa.String(length=14), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["pool_id"], ["pools.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("domain"),
        sa.UniqueConstraint("pool_id", "custom", name="uq_user_pool_domains_pool_kind"),
    )
    op.create_table(
        "resource_servers",
        sa.Column("pool_id", sa.String(length=64), nullable=False),
        sa.Column("identifier", sa.String(length=256), nullable=False),
        sa.Column("name", sa.String(length=256), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["pool_id"], ["pools.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pool_id", "identifier"),
    )


def downgrade() -> None:
    op.drop_table("resource_servers")
    op.drop_table("user_pool_domains")
