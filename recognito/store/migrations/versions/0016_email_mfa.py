"""email MFA and client secret rotation: a user's EMAIL_OTP switch; an app client's second
secret and when each was made

Revision ID: 0016
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mfa_settings") as batch:
        batch.add_column(
            sa.Column("email_enabled", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("clients") as batch:
        batch.add_column(sa.Column("secret_created_at", sa.Float(), nullable=True))
        batch.add_column(sa.Column("next_secret", sa.String(length=256), nullable=True))
        batch.add_column(sa.Column("next_secret_created_at", sa.Float(), nullable=True))
    # a secret made with its client dates from the client
    op.execute("UPDATE clients SET secret_created_at = created_at WHERE secret IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("clients") as batch:
        batch.drop_column("next_secret_created_at")
        batch.drop_column("next_secret")
        batch.drop_column("secret_created_at")
    with op.batch_alter_table("mfa_settings") as batch:
        batch.drop_column("email_enabled")
