"""identity providers (their secrets sealed apart) and the links of native users to them

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "identity_providers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pool_id", sa.String(length=64), nullable=False),
        sa.Column("provider_name", sa.String(length=32), nullable=False),
        sa.Column("provider_type", sa.String(length=32), nullable=False),
        sa.Column("provider_details", sa.JSON(), nullable=False),
        sa.Column("secrets", sa.Text(), nullable=True),
        sa.Column("attribute_mapping", sa.JSON(), nullable=False),
        sa.Column("idp_identifiers", sa.JSON(), nullable=False),
        sa.Column("created", sa.Float(), nullable=False),
        sa.Column("modified", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["pool_id"], ["pools.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pool_id", "provider_name", name="uq_identity_providers_pool_name"),
    )
    op.create_table(
        "provider_links",
        sa.Column("pool_id", sa.String(length=64), nullable=False),
        sa.Column("provider_name", sa.String(length=32), nullable=False),
        sa.Column("attribute_name", sa.String(length=128), nullable=False),
        sa.Column("attribute_value", sa.String(length=2048), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["pool_id"], ["pools.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pool_id", "provider_name", "attribute_name", "attribute_value"),
    )
    op.create_index("ix_provider_links_user", "provider_links", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_provider_links_user", table_name="provider_links")
    op.drop_table("provider_links")
    op.drop_table("identity_providers")
