"""Registered passkeys (WebAuthn credentials), by user and by credential id."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import delete, func, select, update

from recognito.domain.passkeys import Passkey
from recognito.store.repositories._shared import Area, insert_unique
from recognito.store.tables import webauthn_credentials

_T = webauthn_credentials


class PasskeyRepository(Area):
    def insert(self, passkey: Passkey) -> bool:
        """Store a new passkey (its `id` is assigned); False when the pool has that
        credential id already."""
        row = asdict(passkey)
        del row["id"]
        return insert_unique(self.conn, _T, row) is not None

    def get(self, pool_id: str, credential_id: str) -> Passkey | None:
        row = self.conn.execute(
            select(_T).where(_T.c.pool_id == pool_id, _T.c.credential_id == credential_id)
        ).first()
        return None if row is None else _passkey(row._mapping)

    def of_user(self, user_id: int, after: int = 0, limit: int | None = None) -> list[Passkey]:
        """The user's passkeys in registration order, after the row id `after`."""
        query = select(_T).where(_T.c.user_id == user_id, _T.c.id > after).order_by(_T.c.id)
        if limit is not None:
            query = query.limit(limit)
        return [_passkey(r._mapping) for r in self.conn.execute(query)]

    def count(self, user_id: int) -> int:
        query = select(func.count()).select_from(_T).where(_T.c.user_id == user_id)
        return int(self.conn.execute(query).scalar_one())

    def used(self, passkey_id: int, before: int, after: int, now: float) -> bool:
        """Record a sign-in: the counter moves from `before` to `after`. False when
        another sign-in moved it first (the same assertion replayed concurrently)."""
        result = self.conn.execute(
            update(_T)
            .where(_T.c.id == passkey_id, _T.c.sign_count == before)
            .values(sign_count=after, last_used_at=now)
        )
        return result.rowcount == 1

    def remove(self, passkey_id: int) -> None:
        self.conn.execute(delete(_T).where(_T.c.id == passkey_id))


def _passkey(row: Any) -> Passkey:
    data = dict(row)
    data["public_key"] = bytes(data["public_key"])
    data["transports"] = list(data["transports"] or [])
    return Passkey(**data)
