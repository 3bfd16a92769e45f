"""Instance-wide settings (the digest key)."""

from __future__ import annotations

from sqlalchemy import select

from recognito.store.repositories._shared import Area, insert_or_keep, param
from recognito.store.tables import meta

_VALUE = select(meta.c.value).where(meta.c.key == param("key"))


class MetaRepository(Area):
    """Instance-wide values by key."""

    def value(self, key: str) -> str | None:
        return self.conn.execute(_VALUE, {"key": key}).scalar()

    def value_or_set(self, key: str, value: str) -> str:
        """The stored value; `value` is stored first if there is none. The first of
        several processes starting at once wins, and the others read its value."""
        insert_or_keep(self.conn, meta, {"key": key, "value": value})
        stored = self.value(key)
        assert stored is not None  # just stored, by us or by a process before us
        return stored
