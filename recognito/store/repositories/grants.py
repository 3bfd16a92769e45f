"""Grants: one per authentication, its refresh token and every token descended from it."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import Row, delete, insert, select, update

from recognito.domain.records import Grant
from recognito.store.repositories._shared import Area, param
from recognito.store.tables import grants

_BY_JTI = select(grants).where(grants.c.origin_jti == param("jti"))
_BY_REFRESH = select(grants).where(grants.c.refresh_digest == param("digest"))


class GrantRepository(Area):
    """Refresh grants, found by origin jti or refresh-token digest."""

    def insert(self, grant: Grant, refresh_digest: str) -> None:
        row = {**asdict(grant), "refresh_digest": refresh_digest}
        if grant.scopes is not None:
            row["scopes"] = list(grant.scopes)
        self.conn.execute(insert(grants), row)

    def purge(self, before: float) -> None:
        self.conn.execute(delete(grants).where(grants.c.expires_at < before))

    def get(self, origin_jti: str) -> Grant | None:
        row = self.conn.execute(_BY_JTI, {"jti": origin_jti}).first()
        return _grant(row)

    def by_refresh(self, refresh_digest: str) -> Grant | None:
        row = self.conn.execute(_BY_REFRESH, {"digest": refresh_digest}).first()
        return _grant(row)

    def revoke(self, origin_jti: str, now: float) -> None:
        self.conn.execute(
            update(grants)
            .where(grants.c.origin_jti == origin_jti, grants.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    def revoke_all_of(self, user_id: int, now: float) -> None:
        self.conn.execute(
            update(grants)
            .where(grants.c.user_id == user_id, grants.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )


def _grant(row: Row[Any] | None) -> Grant | None:
    if row is None:
        return None
    data = dict(row._mapping)
    data.pop("refresh_digest")
    if data["scopes"] is not None:
        data["scopes"] = tuple(data["scopes"])
    return Grant(**data)
