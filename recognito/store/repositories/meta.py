"""Instance-wide values (the digest key, sealed with the master key)."""

from __future__ import annotations

from sqlalchemy import select

from recognito.store.repositories._shared import SecretArea, insert_or_keep, param
from recognito.store.tables import meta

_VALUE = select(meta.c.value).where(meta.c.key == param("key"))


class MetaRepository(SecretArea):
    """Instance-wide values by key."""

    def value(self, key: str, *, lock: bool = False) -> str | None:
        """The value as stored (a secret still sealed)."""
        query = _VALUE.with_for_update() if lock else _VALUE
        return self.conn.execute(query, {"key": key}).scalar()

    def secret_or_set(self, key: str, value: str) -> str:
        """The stored secret, opened; `value` is sealed and stored first if there is
        none. The first of several processes starting at once wins, and the others read
        its value."""
        insert_or_keep(
            self.conn, meta, {"key": key, "value": self.vault.seal(value, meta.c.value, key)}
        )
        stored = self.vault.open(self.value(key), meta.c.value, key)
        assert stored is not None  # just stored, by us or by a process before us
        return stored
