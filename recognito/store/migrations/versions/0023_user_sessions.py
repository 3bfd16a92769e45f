"""user sessions and refresh-token rotation: a grant's and a browser session's session
id, dates, device and address, and the SSO session a grant came through; refresh tokens
rotated out of their grants; the pools' and clients' session configurations

Revision ID: 0023
Revises: 0019
"""

from __future__ import annotations

import secrets
import string

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0019"
branch_labels = None
depends_on = None

_ALPHABET = string.ascii_lowercase + string.digits


def upgrade() -> None:
    with op.batch_alter_table("grants") as batch:
        batch.add_column(sa.Column("session_id", sa.String(length=28), nullable=True))
        batch.add_column(sa.Column("created_at", sa.Float(), nullable=True))
        batch.add_column(sa.Column("last_active_at", sa.Float(), nullable=True))
        batch.add_column(sa.Column("device", sa.String(length=1024), nullable=True))
        batch.add_column(sa.Column("last_ip", sa.String(length=128), nullable=True))
        batch.add_column(sa.Column("sso_session_id", sa.String(length=28), nullable=True))
    with op.batch_alter_table("browser_sessions") as batch:
        batch.add_column(sa.Column("session_id", sa.String(length=28), nullable=True))
        batch.add_column(sa.Column("client_id", sa.String(length=128), nullable=True))
        batch.add_column(sa.Column("created_at", sa.Float(), nullable=True))
        batch.add_column(sa.Column("last_active_at", sa.Float(), nullable=True))
        batch.add_column(sa.Column("device", sa.String(length=1024), nullable=True))
        batch.add_column(sa.Column("last_ip", sa.String(length=128), nullable=True))
    with op.batch_alter_table("authorization_codes") as batch:
        batch.add_column(sa.Column("sso_session_id", sa.String(length=28), nullable=True))
    # earlier sign-ins become sessions too, begun at their sign-in
    _name_sessions("grants", "origin_jti", "tkn")
    _name_sessions("browser_sessions", "digest", "sso")
    op.create_index("ix_grants_session", "grants", ["session_id"], unique=True)
    op.create_index("ix_browser_sessions_session", "browser_sessions", ["session_id"], unique=True)
    op.create_index("ix_browser_sessions_user", "browser_sessions", ["user_id"])
    op.create_table(
        "rotated_refresh_tokens",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("origin_jti", sa.String(length=36), nullable=False),
        sa.Column("valid_until", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["origin_jti"], ["grants.origin_jti"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("digest"),
    )
    op.create_index("ix_rotated_refresh_tokens_grant", "rotated_refresh_tokens", ["origin_jti"])
    op.create_table(
        "session_configurations",
        sa.Column("pool_id", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.String(length=128), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["pool_id"], ["pools.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pool_id", "client_id"),
    )


def _name_sessions(name: str, key: str, prefix: str) -> None:
    conn = op.get_bind()
    table = sa.table(
        name,
        sa.column(key, sa.String),
        sa.column("auth_time", sa.Integer),
        sa.column("session_id", sa.String),
        sa.column("created_at", sa.Float),
        sa.column("last_active_at", sa.Float),
    )
    for found, auth_time in conn.execute(sa.select(table.c[key], table.c.auth_time)).all():
        session_id = prefix + "".join(secrets.choice(_ALPHABET) for _ in range(25))
        conn.execute(
            table.update()
            .where(table.c[key] == found)
            .values(session_id=session_id, created_at=auth_time, last_active_at=auth_time)
        )


def downgrade() -> None:
    op.drop_table("session_configurations")
    op.drop_index("ix_rotated_refresh_tokens_grant", table_name="rotated_refresh_tokens")
    op.drop_table("rotated_refresh_tokens")
    op.drop_index("ix_grants_session", table_name="grants")
    op.drop_index("ix_browser_sessions_user", table_name="browser_sessions")
    op.drop_index("ix_browser_sessions_session", table_name="browser_sessions")
    with op.batch_alter_table("authorization_codes") as batch:
        batch.drop_column("sso_session_id")
    with op.batch_alter_table("browser_sessions") as batch:
        for column in ("last_ip", "device", "last_active_at", "created_at", "client_id"):
            batch.drop_column(column)
        batch.drop_column("session_id")
    with op.batch_alter_table("grants") as batch:
        batch.drop_column("sso_session_id")
        batch.drop_column("last_ip")
        batch.drop_column("device")
        batch.drop_column("last_active_at")
        batch.drop_column("created_at")
        batch.drop_column("session_id")
