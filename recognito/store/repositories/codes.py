"""One-time codes, stored as keyed digests."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import delete, select, update

from recognito.domain.records import Code
from recognito.store.repositories._shared import Area, param, upsert
from recognito.store.tables import codes

_CODE = select(codes).where(
    codes.c.subject == param("subject"), codes.c.purpose == param("purpose")
)
_LOCKED_CODE = _CODE.with_for_update()


class CodeRepository(Area):
    """The newest code of each subject and purpose."""

    def put(self, code: Code) -> None:
        """Store the newest code for (subject, purpose); an older one stops working."""
        upsert(self.conn, codes, asdict(code), ("subject", "purpose"))

    def get(self, subject: str, purpose: str, *, lock: bool = False) -> Code | None:
        query = _LOCKED_CODE if lock else _CODE
        row = self.conn.execute(query, {"subject": subject, "purpose": purpose}).first()
        return Code(**row._mapping) if row else None

    def count_failure(self, subject: str, purpose: str) -> None:
        self.conn.execute(
            update(codes)
            .where(codes.c.subject == subject, codes.c.purpose == purpose)
            .values(failed_attempts=codes.c.failed_attempts + 1)
        )

    def spend(self, subject: str, purpose: str, digest: str) -> bool:
        """Delete the code if it is still the one checked; False if another request won."""
        result = self.conn.execute(
            delete(codes).where(
                codes.c.subject == subject, codes.c.purpose == purpose, codes.c.digest == digest
            )
        )
        return result.rowcount == 1

    def delete(self, subject: str, purpose: str) -> None:
        self.conn.execute(
            delete(codes).where(codes.c.subject == subject, codes.c.purpose == purpose)
        )

    def purge(self, before: float) -> None:
        self.conn.execute(delete(codes).where(codes.c.expires_at < before))
