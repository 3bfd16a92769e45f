"""counters replace lockouts; sessions count wrong answers; attribute values keyed for
case-insensitive pools; codes belong to a subject (a user's sub or an unknown name)

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "counters",
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("first_at", sa.Float(), nullable=False),
        sa.Column("last_at", sa.Float(), nullable=False),
        sa.Column("until", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("counters", schema=None) as batch_op:
        batch_op.create_index("ix_counters_last", ["last_at"], unique=False)
    op.drop_table("lockouts")  # sign-in failures are counters now; a lock lasts 15 min at most

    with op.batch_alter_table("auth_sessions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default="0")
        )

    with op.batch_alter_table("user_attributes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("value_key", sa.String(length=2048), nullable=False, server_default="")
        )
    op.execute("UPDATE user_attributes SET value_key = lower(value)")
    with op.batch_alter_table("user_attributes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_user_attributes_key", ["pool_id", "name", "value_key"], unique=False
        )

    # outstanding codes are not carried over: a user asks for a new one
    op.drop_table("codes")
    op.create_table(
        "codes",
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=64), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.Float(), nullable=False),
        sa.Column("pending_value", sa.String(length=2048), nullable=True),
        sa.PrimaryKeyConstraint("subject", "purpose"),
    )
    with op.batch_alter_table("codes", schema=None) as batch_op:
        batch_op.create_index("ix_codes_expires", ["expires_at"], unique=False)


def downgrade() -> None:
    op.drop_table("codes")
    op.create_table(
        "codes",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=64), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.Float(), nullable=False),
        sa.Column("pending_value", sa.String(length=2048), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "purpose"),
    )
    with op.batch_alter_table("user_attributes", schema=None) as batch_op:
        batch_op.drop_index("ix_user_attributes_key")
        batch_op.drop_column("value_key")
    with op.batch_alter_table("auth_sessions", schema=None) as batch_op:
        batch_op.drop_column("failed_attempts")
    op.create_table(
        "lockouts",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_attempt_at", sa.Float(), nullable=False),
        sa.Column("locked_until", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
    )
    with op.batch_alter_table("counters", schema=None) as batch_op:
        batch_op.drop_index("ix_counters_last")
    op.drop_table("counters")
