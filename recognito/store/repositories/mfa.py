"""Each user's multi-factor settings."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import delete, insert, select

from recognito.domain.mfa import MfaSettings
from recognito.store.repositories._shared import SecretArea, param
from recognito.store.tables import mfa_settings

_SECRETS = ("totp_secret", "totp_pending")
_OF_USER = select(mfa_settings).where(mfa_settings.c.user_id == param("user_id"))


class MfaRepository(SecretArea):
    """Factors a user has enrolled and prefers."""

    def get(self, user_id: int) -> MfaSettings:
        row = self.conn.execute(_OF_USER, {"user_id": user_id}).first()
        if row is None:
            return MfaSettings()
        data = dict(row._mapping)
        data.pop("user_id")
        for name in _SECRETS:
            data[name] = self.vault.open(data[name], mfa_settings.c[name], user_id)
        return MfaSettings(**data)

    def save(self, user_id: int, settings: MfaSettings) -> None:
        self.conn.execute(delete(mfa_settings).where(mfa_settings.c.user_id == user_id))
        row = asdict(settings)
        for name in _SECRETS:
            row[name] = self.vault.seal(row[name], mfa_settings.c[name], user_id)
        self.conn.execute(insert(mfa_settings), {"user_id": user_id, **row})
