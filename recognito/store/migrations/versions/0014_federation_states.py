"""federation states: sign-ins sent to an external IdP, by the digest of their `state`

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "federation_states",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("pool_id", sa.String(length=64), nullable=False),
        sa.Column("provider_name", sa.String(length=64), nullable=False),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["pool_id"], ["pools.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("digest"),
    )
    op.create_index(
        "ix_federation_states_expires", "federation_states", ["expires_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_federation_states_expires", table_name="federation_states")
    op.drop_table("federation_states")
