"""Counters held locked while they change: sign-in failures, hourly caps, named locks."""

from __future__ import annotations

import hashlib
from dataclasses import asdict

from sqlalchemy import delete, select, update

from recognito.domain.records import Counter
from recognito.store.repositories._shared import Area, insert_or_keep, param
from recognito.store.tables import counters

_COUNTER = select(
    counters.c.count, counters.c.first_at, counters.c.last_at, counters.c.until
).where(counters.c.key == param("key"))
_LOCKED_COUNTER = _COUNTER.with_for_update()
_SAVE = update(counters).where(counters.c.key == param("counter_key"))


class CounterRepository(Area):
    """What is counted for whom, exactly across requests and nodes."""

    def get(self, key: str, *, lock: bool = False) -> Counter | None:
        row = self.conn.execute(_LOCKED_COUNTER if lock else _COUNTER, {"key": key}).first()
        return Counter(*row) if row else None

    def held(self, key: str, now: float) -> Counter:
        """The counter, locked for this transaction; a zero count if there was none.

        The row is made first (if missing), so there is always a row to lock: two
        requests that both found none cannot both start from zero."""
        values = {"key": key, "count": 0, "first_at": now, "last_at": now, "until": None}
        insert_or_keep(self.conn, counters, values)
        held = self.get(key, lock=True)
        assert held is not None  # made above, and only purged long after its last use
        return held

    def hold(self, name: str) -> None:
        """Hold a named lock until this transaction ends, so writers that check, then
        write the same name go one after another on every node (a counters row of its
        own; housekeeping removes it later)."""
        self.held("lock:" + hashlib.sha256(name.encode()).hexdigest()[:40], 0.0)

    def save(self, key: str, counter: Counter | None) -> None:
        """Store a counter; None forgets it."""
        if counter is None:
            self.conn.execute(delete(counters).where(counters.c.key == key))
            return
        self.conn.execute(_SAVE, {"counter_key": key, **asdict(counter)})

    def purge(self, before: float) -> None:
        self.conn.execute(
            delete(counters).where(
                counters.c.last_at < before,
                (counters.c.until.is_(None)) | (counters.c.until < before),
            )
        )
