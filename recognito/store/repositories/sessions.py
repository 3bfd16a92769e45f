"""Challenge sessions, stored as keyed digests."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import delete, select, update

from recognito.domain.records import AuthSession
from recognito.store.repositories._shared import Area, insert_unique, param
from recognito.store.tables import auth_sessions

_SESSION = select(auth_sessions).where(auth_sessions.c.digest == param("digest"))
_LOCKED_SESSION = _SESSION.with_for_update()


class SessionRepository(Area):
    """Sessions of sign-in challenges."""

    def insert(self, digest: str, session: AuthSession) -> bool:
        """False when a session with this digest exists already."""
        values = {**asdict(session), "digest": digest}
        return insert_unique(self.conn, auth_sessions, values) is not None

    def get(self, digest: str, *, lock: bool = False) -> AuthSession | None:
        query = _LOCKED_SESSION if lock else _SESSION
        row = self.conn.execute(query, {"digest": digest}).first()
        if row is None:
            return None
        data = dict(row._mapping)
        data.pop("digest")
        return AuthSession(**data)

    def use(self, digest: str, now: float) -> bool:
        result = self.conn.execute(
            update(auth_sessions)
            .where(auth_sessions.c.digest == digest, auth_sessions.c.used_at.is_(None))
            .values(used_at=now)
        )
        return result.rowcount == 1

    def count_failure(self, digest: str) -> None:
        self.conn.execute(
            update(auth_sessions)
            .where(auth_sessions.c.digest == digest)
            .values(failed_attempts=auth_sessions.c.failed_attempts + 1)
        )

    def purge(self, before: float) -> None:
        self.conn.execute(delete(auth_sessions).where(auth_sessions.c.expires_at < before))
