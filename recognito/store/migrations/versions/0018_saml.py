"""saml: each pool's SAML signing certificate, and the assertions used to sign in

Revision ID: 0018
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saml_certificates",
        sa.Column("pool_id", sa.String(length=64), nullable=False),
        sa.Column("certificate", sa.Text(), nullable=False),
        sa.Column("private_key", sa.Text(), nullable=False),
        sa.Column("created", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["pool_id"], ["pools.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pool_id"),
    )
    op.create_table(
        "saml_assertions",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("pool_id", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["pool_id"], ["pools.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("digest"),
    )
    op.create_index("ix_saml_assertions_expires", "saml_assertions", ["expires_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_saml_assertions_expires", table_name="saml_assertions")
    op.drop_table("saml_assertions")
    op.drop_table("saml_certificates")
