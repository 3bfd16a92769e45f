"""webauthn_credentials: the users' registered passkeys

Revision ID: 0022
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "webauthn_credentials",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pool_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("credential_id", sa.String(length=1400), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("sign_count", sa.Integer(), nullable=False),
        sa.Column("transports", sa.JSON(), nullable=False),
        sa.Column("friendly_name", sa.String(length=256), nullable=False),
        sa.Column("attachment", sa.String(length=32), nullable=True),
        sa.Column("rp_id", sa.String(length=127), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("last_used_at", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["pool_id"], ["pools.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pool_id", "credential_id", name="uq_webauthn_credentials_pool_id"),
    )
    op.create_index(
        "ix_webauthn_credentials_user", "webauthn_credentials", ["user_id", "id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_webauthn_credentials_user", table_name="webauthn_credentials")
    op.drop_table("webauthn_credentials")
