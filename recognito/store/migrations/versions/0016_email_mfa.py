"""email MFA: whether a user's EMAIL_OTP second factor is on

Revision ID: 0016
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mfa_settings") as batch:
        batch.add_column(
            sa.Column("email_enabled", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("mfa_settings") as batch:
        batch.drop_column("email_enabled")
