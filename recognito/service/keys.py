"""Each process's ring of the pools' signing keys, and their rotation.

A rotation stores a new key pair that signs only from a later time (`signs_from`): until
then it is published in the JWKS, so relying parties that cache the JWKS have it before
the first token it signs reaches them. The newest key whose time has come signs; an older
one stays published until every token it can have signed has expired (its successor's
`signs_from` plus the longest life of an ID or access token), then housekeeping deletes it.

Several processes and nodes share the store, and a rotation may come from any of them or
from `recognito keys rotate`: the ring re-reads a pool's keys every `refresh` seconds, and
at once (at most once a second) when a token names a kid it does not know.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from recognito.crypto.keys import TOKEN_USES, SigningKey, jwks, load_key, new_key
from recognito.domain.tokens import KEY_RETENTION as RETENTION
from recognito.store.db import Store
from recognito.store.unit_of_work import UnitOfWork

# Between a rotation and the new key signing, by default: every process re-reads within
# REFRESH, and relying parties keep our JWKS for its max-age (300 s) before asking again.
PUBLISH_DELAY = 600.0
REFRESH = 10.0  # seconds a process keeps a pool's keys before reading them again
UNKNOWN_KID_REREAD = 1.0  # at most one re-read a second for tokens with a kid not known


@dataclass(frozen=True)
class KeyState:
    """A key as `recognito keys list` shows it."""

    kid: str
    token_use: str
    signs_from: float
    state: str  # pending | signing | retiring
    removed_after: float | None  # retiring keys: when housekeeping deletes them


@dataclass
class _Cached:
    keys: list[SigningKey]  # by signs_from, oldest first
    read_at: float  # time.monotonic() of the read


class KeyRing:
    def __init__(self, store: Store, refresh: float = REFRESH) -> None:
        self._store = store
        self._refresh = refresh
        self._pools: dict[str, _Cached] = {}
        self._parsed: dict[str, SigningKey] = {}  # by kid: a PEM is parsed once per process
        self._missed: dict[str, float] = {}  # pool -> when an unknown kid last made us read
        self._lock = threading.Lock()

    @staticmethod
    def create_pool_keys(tx: UnitOfWork, pool_id: str, now: float) -> None:
        for token_use in TOKEN_USES:
            kid, pem = new_key()
            tx.keys.insert(kid, pool_id, token_use, pem, now)

    def signing_key(self, pool_id: str, token_use: str, now: float) -> SigningKey:
        """The newest key of the pool for this use whose signing time has come."""
        mine = [k for k in self._keys(pool_id, self._refresh) if k.token_use == token_use]
        due = [k for k in mine if k.signs_from <= now]
        return (due or mine)[-1]  # a pool always has a due key; never sign with none

    def verification_key(self, pool_id: str, kid: str) -> SigningKey | None:
        found = _find(self._keys(pool_id, self._refresh), kid)
        if found is None:  # maybe rotated in by another process since we read: read again,
            # once a second at most, as made-up kids must not make every request a read
            missed = time.monotonic()
            if missed - self._missed.get(pool_id, -UNKNOWN_KID_REREAD) >= UNKNOWN_KID_REREAD:
                self._missed[pool_id] = missed
                found = _find(self._keys(pool_id, 0.0), kid)
        return found

    def jwks(self, pool_id: str) -> dict[str, Any]:
        """Every stored key: the pending ones too, so they are known before they sign."""
        return jwks(self._keys(pool_id, self._refresh))

    def forget(self, pool_id: str) -> None:
        with self._lock:
            self._pools.pop(pool_id, None)

    def rotate(self, pool_id: str, signs_from: float) -> list[str]:
        """Add a key pair (ID and access) to the pool that signs from `signs_from`; their
        kids. Raises LookupError when the pool does not exist."""
        made = [(use, *new_key()) for use in TOKEN_USES]  # RSA generation outside the write
        with self._store.write() as tx:
            if not tx.keys.lock_pool(pool_id):
                raise LookupError(pool_id)
            for use, kid, pem in made:
                tx.keys.insert(kid, pool_id, use, pem, signs_from)
        self.forget(pool_id)
        return [kid for _, kid, _ in made]

    def rotate_due(
        self, now: float, every: float, delay: float, only: str | None = None
    ) -> list[str]:
        """Scheduled rotation: pools (or the pool `only`) whose newest key is older than
        `every` seconds get a new pair signing `delay` seconds from now. Any process may run
        it: the pool row is locked while its keys are read again, so one of them rotates."""
        rotated = []
        with self._store.read() as tx:
            due = tx.keys.pools_due(now - every, only)
        for pool_id in due:
            made = [(use, *new_key()) for use in TOKEN_USES]
            with self._store.write() as tx:
                if not tx.keys.lock_pool(pool_id) or pool_id not in tx.keys.pools_due(
                    now - every, pool_id
                ):
                    continue  # deleted, or rotated by another process meanwhile
                for use, kid, pem in made:
                    tx.keys.insert(kid, pool_id, use, pem, now + delay)
            self.forget(pool_id)
            rotated.append(pool_id)
        return rotated

    def states(self, pool_id: str, now: float) -> list[KeyState]:
        """The pool's keys as stored now, oldest first, with what each is doing."""
        with self._store.read() as tx:
            rows = tx.keys.of_pool(pool_id)
        found = []
        for row in rows:
            later = [
                r.signs_from
                for r in rows
                if r.token_use == row.token_use and r.signs_from > row.signs_from
            ]
            successor = min((t for t in later if t <= now), default=None)
            if row.signs_from > now:
                found.append(KeyState(row.kid, row.token_use, row.signs_from, "pending", None))
            elif successor is None:
                found.append(KeyState(row.kid, row.token_use, row.signs_from, "signing", None))
            else:
                found.append(
                    KeyState(
                        row.kid, row.token_use, row.signs_from, "retiring", successor + RETENTION
                    )
                )
        return found

    def _keys(self, pool_id: str, max_age: float) -> list[SigningKey]:
        cached = self._pools.get(pool_id)
        if cached is not None and time.monotonic() - cached.read_at < max_age:
            return cached.keys
        read_at = time.monotonic()
        with self._store.read() as tx:
            rows = tx.keys.of_pool(pool_id)
        keys = [self._parse(r.kid, r.token_use, r.private_pem, r.signs_from) for r in rows]
        if keys:  # a pool without keys is not remembered: it may be being created
            with self._lock:
                self._pools[pool_id] = _Cached(keys, read_at)
        return keys

    def _parse(self, kid: str, token_use: str, pem: str, signs_from: float) -> SigningKey:
        key = self._parsed.get(kid)
        if key is None:
            key = self._parsed[kid] = load_key(kid, token_use, pem, signs_from)
        return key


def _find(keys: list[SigningKey], kid: str) -> SigningKey | None:
    for key in keys:
        if key.kid == kid:
            return key
    return None
