"""Each node's ring of the pools' signing keys: read from the store once, kept in memory."""

from __future__ import annotations

import threading
from typing import Any

from recognito.crypto.keys import TOKEN_USES, SigningKey, jwks, load_key, new_key
from recognito.store.db import Store
from recognito.store.unit_of_work import UnitOfWork


class KeyRing:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._pools: dict[str, list[SigningKey]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def create_pool_keys(tx: UnitOfWork, pool_id: str, now: float) -> None:
        for token_use in TOKEN_USES:
            kid, pem = new_key()
            tx.keys.insert(kid, pool_id, token_use, pem, now)

    def signing_key(self, pool_id: str, token_use: str) -> SigningKey:
        """The newest key of the pool for this token use."""
        return [k for k in self._keys(pool_id) if k.token_use == token_use][-1]

    def verification_key(self, pool_id: str, kid: str) -> SigningKey | None:
        for key in self._keys(pool_id):
            if key.kid == kid:
                return key
        return None

    def jwks(self, pool_id: str) -> dict[str, Any]:
        return jwks(self._keys(pool_id))

    def forget(self, pool_id: str) -> None:
        with self._lock:
            self._pools.pop(pool_id, None)

    def _keys(self, pool_id: str) -> list[SigningKey]:
        keys = self._pools.get(pool_id)
        if keys is None:
            with self._store.read() as tx:
                rows = tx.keys.of_pool(pool_id)
            keys = [load_key(k.kid, k.token_use, k.private_pem) for k in rows]
            if keys:
                with self._lock:
                    self._pools[pool_id] = keys
        return keys
