"""client ID metadata documents: cimd_policies, cimd_urls; client ids of codes, grants
and challenge sessions as long as a metadata URL (256)

Revision ID: 0019
Revises: 0022
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0022"
branch_labels = None
depends_on = None

_WIDENED = ("auth_sessions", "grants", "authorization_codes")


def upgrade() -> None:
    for table in _WIDENED:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                "client_id",
                existing_type=sa.String(length=128),
                type_=sa.String(length=256),
                existing_nullable=False,
            )
    op.create_table(
        "cimd_policies",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("pool_id", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("cache_duration", sa.Integer(), nullable=True),
        sa.Column("url_patterns", sa.JSON(), nullable=False),
        sa.Column("created", sa.Float(), nullable=False),
        sa.Column("modified", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["pool_id"], ["pools.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_cimd_policies_pool", "cimd_policies", ["pool_id", "id"])
    op.create_table(
        "cimd_urls",
        sa.Column("policy_id", sa.String(length=64), nullable=False),
        sa.Column("url", sa.String(length=256), nullable=False),
        sa.Column("pool_id", sa.String(length=64), nullable=False),
        sa.Column("document", sa.Text(), nullable=True),
        sa.Column("cached_at", sa.Float(), nullable=True),
        sa.Column("expires_at", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["policy_id"], ["cimd_policies.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["pool_id"], ["pools.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("policy_id", "url"),
    )


def downgrade() -> None:
    op.drop_table("cimd_urls")
    op.drop_index("ix_cimd_policies_pool", table_name="cimd_policies")
    op.drop_table("cimd_policies")
    for table in reversed(_WIDENED):
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                "client_id",
                existing_type=sa.String(length=256),
                type_=sa.String(length=128),
                existing_nullable=False,
            )
