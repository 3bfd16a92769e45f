"""/oauth2/authorize codes, stored under their keyed digest."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import delete, insert, select, update

from recognito.domain.records import AuthorizationCode
from recognito.store.repositories._shared import Area, param
from recognito.store.tables import authorization_codes as codes

_BY_DIGEST = select(codes).where(codes.c.digest == param("digest"))


class AuthorizationCodeRepository(Area):
    """Codes a signed-in browser was given, each redeemable once."""

    def insert(self, digest: str, code: AuthorizationCode) -> None:
        self.conn.execute(
            insert(codes), {**asdict(code), "digest": digest, "scopes": list(code.scopes)}
        )

    def get(self, digest: str) -> AuthorizationCode | None:
        row = self.conn.execute(_BY_DIGEST, {"digest": digest}).first()
        if row is None:
            return None
        data = dict(row._mapping)
        data.pop("digest")
        data["scopes"] = tuple(data["scopes"])
        return AuthorizationCode(**data)

    def spend(self, digest: str, now: float) -> bool:
        """Mark the code used if it is unused and unexpired: one conditional write, so of
        concurrent redemptions exactly one gets True."""
        result = self.conn.execute(
            update(codes)
            .where(codes.c.digest == digest, codes.c.used_at.is_(None), codes.c.expires_at >= now)
            .values(used_at=now)
        )
        return result.rowcount == 1

    def purge(self, before: float) -> None:
        self.conn.execute(delete(codes).where(codes.c.expires_at < before))
