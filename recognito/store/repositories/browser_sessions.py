"""Browser sessions of the hosted pages (the `cognito` cookie), stored as keyed digests."""

from __future__ import annotations

from sqlalchemy import delete, insert, select

from recognito.domain.records import BrowserSession
from recognito.store.repositories._shared import Area, param
from recognito.store.tables import browser_sessions

_SESSION = select(browser_sessions).where(browser_sessions.c.digest == param("digest"))


class BrowserSessionRepository(Area):
    def insert(self, digest: str, session: BrowserSession) -> None:
        values = {
            "digest": digest,
            "pool_id": session.pool_id,
            "user_id": session.user_id,
            "auth_time": session.auth_time,
            "expires_at": session.expires_at,
        }
        self.conn.execute(insert(browser_sessions).values(values))

    def get(self, digest: str) -> BrowserSession | None:
        row = self.conn.execute(_SESSION, {"digest": digest}).first()
        if row is None:
            return None
        return BrowserSession(row.pool_id, row.user_id, row.auth_time, row.expires_at)

    def end(self, digest: str) -> None:
        self.conn.execute(delete(browser_sessions).where(browser_sessions.c.digest == digest))

    def purge(self, before: float) -> None:
        self.conn.execute(delete(browser_sessions).where(browser_sessions.c.expires_at < before))
