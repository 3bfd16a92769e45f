"""Browser sessions of the hosted pages (the `cognito` cookie), stored as keyed digests;
each is also its user's SSO session, known by its session id."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import Row, delete, insert, select, update

from recognito.domain.records import BrowserSession
from recognito.store.repositories._shared import Area, param
from recognito.store.tables import browser_sessions as table

_SESSION = select(table).where(table.c.digest == param("digest"))


class BrowserSessionRepository(Area):
    def insert(self, digest: str, session: BrowserSession) -> None:
        self.conn.execute(insert(table).values({**asdict(session), "digest": digest}))

    def get(self, digest: str) -> BrowserSession | None:
        return _session(self.conn.execute(_SESSION, {"digest": digest}).first())

    def end(self, digest: str) -> None:
        self.conn.execute(delete(table).where(table.c.digest == digest))

    def purge(self, before: float) -> None:
        self.conn.execute(delete(table).where(table.c.expires_at < before))

    # -- as SSO sessions ------------------------------------------------------------
    def live_of(self, user_id: int, now: float) -> list[BrowserSession]:
        query = (
            select(table)
            .where(table.c.user_id == user_id, table.c.expires_at > now)
            .order_by(table.c.created_at.desc())
        )
        return [s for s in map(_session, self.conn.execute(query).all()) if s is not None]

    def by_session(self, user_id: int, session_id: str, now: float) -> BrowserSession | None:
        query = select(table).where(
            table.c.user_id == user_id, table.c.session_id == session_id, table.c.expires_at > now
        )
        return _session(self.conn.execute(query).first())

    def end_session(self, session_id: str) -> None:
        self.conn.execute(delete(table).where(table.c.session_id == session_id))

    def touch(self, session_id: str, now: float, device: str, ip: str | None) -> None:
        """The SSO session gave a sign-in again (a code or implicit tokens)."""
        self.conn.execute(
            update(table)
            .where(table.c.session_id == session_id)
            .values(last_active_at=now, device=device, last_ip=ip)
        )


def _session(row: Row[Any] | None) -> BrowserSession | None:
    if row is None:
        return None
    data = dict(row._mapping)
    data.pop("digest")
    return BrowserSession(**data)
