"""Grants: one per authentication (a user's token session), its refresh token, the
refresh tokens rotated out of it, and every token descended from it."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import Row, and_, delete, func, insert, select, update

from recognito.domain.records import Grant
from recognito.store.repositories._shared import Area, param
from recognito.store.tables import grants, rotated_refresh_tokens, users

_BY_JTI = select(grants).where(grants.c.origin_jti == param("jti"))
_BY_REFRESH = select(grants).where(grants.c.refresh_digest == param("digest"))
_ROTATED = (
    select(rotated_refresh_tokens.c.valid_until, grants)
    .join(grants, grants.c.origin_jti == rotated_refresh_tokens.c.origin_jti)
    .where(rotated_refresh_tokens.c.digest == param("digest"))
)


def _active(user_id: int, now: float) -> Any:
    return and_(
        grants.c.user_id == user_id,
        grants.c.revoked_at.is_(None),
        grants.c.expires_at >= now,
    )


class GrantRepository(Area):
    """Refresh grants, found by origin jti, session id or refresh-token digest."""

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

    def by_refresh(self, refresh_digest: str, *, lock: bool = False) -> Grant | None:
        query = _BY_REFRESH.with_for_update() if lock else _BY_REFRESH
        row = self.conn.execute(query, {"digest": refresh_digest}).first()
        return _grant(row)

    def by_rotated(self, refresh_digest: str, *, lock: bool = False) -> tuple[Grant, float] | None:
        """The grant a refresh token was rotated out of, and until when it stays good."""
        query = _ROTATED.with_for_update(of=grants) if lock else _ROTATED
        row = self.conn.execute(query, {"digest": refresh_digest}).first()
        if row is None:
            return None
        data = dict(row._mapping)
        valid_until = float(data.pop("valid_until"))
        found = _grant_of(data)
        return found, valid_until

    def rotate(self, origin_jti: str, old_digest: str, new_digest: str, valid_until: float) -> None:
        """The grant's refresh token becomes `new_digest`; its current one stays good
        until `valid_until` (those rotated out earlier keep their own deadlines)."""
        self.conn.execute(
            insert(rotated_refresh_tokens),
            {"digest": old_digest, "origin_jti": origin_jti, "valid_until": valid_until},
        )
        self.conn.execute(
            update(grants)
            .where(grants.c.origin_jti == origin_jti)
            .values(refresh_digest=new_digest)
        )

    def current_digest(self, origin_jti: str) -> str | None:
        return self.conn.execute(
            select(grants.c.refresh_digest).where(grants.c.origin_jti == origin_jti)
        ).scalar()

    def touch(self, origin_jti: str, now: float, device: str, ip: str | None) -> None:
        """A session was used (a refresh): when, and from what device and address."""
        self.conn.execute(
            update(grants)
            .where(grants.c.origin_jti == origin_jti)
            .values(last_active_at=now, device=device, last_ip=ip)
        )

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

    def revoke_from_sso(self, user_id: int, sso_session_id: str, now: float) -> None:
        """Revoke the user's token sessions that came through this SSO session."""
        self.conn.execute(
            update(grants)
            .where(
                grants.c.user_id == user_id,
                grants.c.sso_session_id == sso_session_id,
                grants.c.revoked_at.is_(None),
            )
            .values(revoked_at=now)
        )

    # -- a user's token sessions ---------------------------------------------------
    def lock_user(self, user_id: int) -> None:
        """Hold the user's row, so that concurrent sign-ins count their sessions one
        after another (SQLite serializes writers already)."""
        self.conn.execute(select(users.c.id).where(users.c.id == user_id).with_for_update())

    def active_of(self, user_id: int, now: float, limit: int | None = None) -> list[Grant]:
        """The user's live sessions, newest first."""
        query = (
            select(grants)
            .where(_active(user_id, now))
            .order_by(grants.c.created_at.desc(), grants.c.origin_jti)
        )
        if limit is not None:
            query = query.limit(limit)
        return [g for g in map(_grant, self.conn.execute(query).all()) if g is not None]

    def count_active(self, user_id: int, now: float) -> int:
        query = select(func.count()).select_from(grants).where(_active(user_id, now))
        return int(self.conn.execute(query).scalar() or 0)

    def least_recently_used(self, user_id: int, now: float, count: int) -> list[str]:
        """The origin jtis of the user's `count` least recently used live sessions."""
        used = func.coalesce(grants.c.last_active_at, grants.c.created_at, grants.c.auth_time)
        query = (
            select(grants.c.origin_jti)
            .where(_active(user_id, now))
            .order_by(used, grants.c.origin_jti)
            .limit(count)
        )
        return [str(jti) for jti in self.conn.execute(query).scalars()]

    def by_session(self, user_id: int, session_id: str, now: float) -> Grant | None:
        """The user's live session of this id."""
        query = select(grants).where(_active(user_id, now), grants.c.session_id == session_id)
        return _grant(self.conn.execute(query).first())


def _grant(row: Row[Any] | None) -> Grant | None:
    if row is None:
        return None
    return _grant_of(dict(row._mapping))


def _grant_of(data: dict[str, Any]) -> Grant:
    data.pop("refresh_digest")
    if data["scopes"] is not None:
        data["scopes"] = tuple(data["scopes"])
    return Grant(**data)
