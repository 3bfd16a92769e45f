"""Per-pool RS256 signing keys: one for ID tokens, one for access tokens, as Cognito does.

Keys are generated when a pool is created and stored with it; each node parses
them once and keeps them in memory. A kid is the standard base64 of the SHA-256
of the public key (44 characters, the shape of Cognito's kids).
"""

from __future__ import annotations

import base64
import hashlib
import threading
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from joserfc.jwk import RSAKey

from recognito.store.db import Store
from recognito.store.repository import Repository

TOKEN_USES = ("id", "access")


@dataclass(frozen=True)
class SigningKey:
    kid: str
    token_use: str
    key: RSAKey


def new_key() -> tuple[str, str]:
    """(kid, private PEM) of a fresh 2048-bit RSA key."""
    key = RSAKey.generate_key(2048, private=True)
    public_der = key.public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    kid = base64.b64encode(hashlib.sha256(public_der).digest()).decode()
    return kid, key.as_pem(private=True).decode()


class KeyRing:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._pools: dict[str, list[SigningKey]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def create_pool_keys(repo: Repository, pool_id: str, now: float) -> None:
        for token_use in TOKEN_USES:
            kid, pem = new_key()
            repo.insert_signing_key(kid, pool_id, token_use, pem, now)

    def signing_key(self, pool_id: str, token_use: str) -> SigningKey:
        """The newest key of the pool for this token use."""
        return [k for k in self._keys(pool_id) if k.token_use == token_use][-1]

    def verification_key(self, pool_id: str, kid: str) -> SigningKey | None:
        for key in self._keys(pool_id):
            if key.kid == kid:
                return key
        return None

    def jwks(self, pool_id: str) -> dict[str, Any]:
        keys = []
        for k in self._keys(pool_id):
            public = k.key.as_dict(private=False)
            keys.append(
                {
                    "alg": "RS256",
                    "e": public["e"],
                    "kid": k.kid,
                    "kty": "RSA",
                    "n": public["n"],
                    "use": "sig",
                }
            )
        return {"keys": keys}

    def forget(self, pool_id: str) -> None:
        with self._lock:
            self._pools.pop(pool_id, None)

    def _keys(self, pool_id: str) -> list[SigningKey]:
        keys = self._pools.get(pool_id)
        if keys is None:
            with self._store.read() as repo:
                rows = repo.signing_keys(pool_id)
            keys = [SigningKey(kid, use, RSAKey.import_key(pem)) for kid, use, pem in rows]
            if keys:
                with self._lock:
                    self._pools[pool_id] = keys
        return keys
