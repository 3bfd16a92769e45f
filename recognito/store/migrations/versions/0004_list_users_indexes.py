"""ListUsers keyset indexes: every filter and the unfiltered listing is one index seek

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index("ix_users_pool_status")
        batch_op.create_index("ix_users_pool_id", ["pool_id", "id"], unique=False)
        batch_op.create_index("ix_users_pool_status", ["pool_id", "status", "id"], unique=False)
        batch_op.create_index("ix_users_pool_enabled", ["pool_id", "enabled", "id"], unique=False)
        batch_op.create_index("ix_users_pool_username", ["pool_id", "username", "id"], unique=False)
        batch_op.create_index("ix_users_pool_sub", ["pool_id", "sub", "id"], unique=False)
    with op.batch_alter_table("user_attributes", schema=None) as batch_op:
        batch_op.drop_index("ix_user_attributes_lookup")
        batch_op.create_index(
            "ix_user_attributes_lookup", ["pool_id", "name", "value", "user_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("user_attributes", schema=None) as batch_op:
        batch_op.drop_index("ix_user_attributes_lookup")
        batch_op.create_index(
            "ix_user_attributes_lookup", ["pool_id", "name", "value"], unique=False
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index("ix_users_pool_sub")
        batch_op.drop_index("ix_users_pool_username")
        batch_op.drop_index("ix_users_pool_enabled")
        batch_op.drop_index("ix_users_pool_status")
        batch_op.drop_index("ix_users_pool_id")
        batch_op.create_index("ix_users_pool_status", ["pool_id", "status"], unique=False)
