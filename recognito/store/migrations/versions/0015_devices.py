"""devices: the devices users signed in from (remembered devices)

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "devices",
        sa.Column("device_key", sa.String(length=64), nullable=False),
        sa.Column("pool_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("group_key", sa.String(length=64), nullable=False),
        sa.Column("salt", sa.String(length=128), nullable=True),
        sa.Column("verifier", sa.Text(), nullable=True),
        sa.Column("name", sa.String(length=1024), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("modified_at", sa.Float(), nullable=False),
        sa.Column("authenticated_at", sa.Float(), nullable=True),
        sa.Column("last_ip", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["pool_id"], ["pools.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("device_key"),
    )
    op.create_index("ix_devices_user", "devices", ["user_id", "created_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_devices_user", table_name="devices")
    op.drop_table("devices")
