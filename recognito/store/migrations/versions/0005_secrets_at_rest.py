"""secrets at rest: room for sealed client and TOTP secrets

The values themselves are sealed at the first start with a master key (Alembic never
sees the key): `store/master_key.py` and `store/sealing.reseal`.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_WIDENED = {"clients": ("secret",), "mfa_settings": ("totp_secret", "totp_pending")}


def upgrade() -> None:
    for table, columns in _WIDENED.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(
                    column,
                    existing_type=sa.String(length=64),
                    type_=sa.String(length=256),
                    existing_nullable=True,
                )


def downgrade() -> None:
    # only a database whose secrets are plaintext again fits the narrow columns
    for table, columns in _WIDENED.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(
                    column,
                    existing_type=sa.String(length=256),
                    type_=sa.String(length=64),
                    existing_nullable=True,
                )
