"""Instance-wide settings (the digest key)."""

from __future__ import annotations

from sqlalchemy import insert, select

from recognito.store.repositories._shared import Area
from recognito.store.tables import meta


class MetaRepository(Area):
    """Instance-wide values by key."""

    def value(self, key: str) -> str | None:
        return self.conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()

    def set(self, key: str, value: str) -> None:
        self.conn.execute(insert(meta).values(key=key, value=value))
