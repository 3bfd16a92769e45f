"""What setting a password stores: an argon2id hash for password flows and an SRP
salt + verifier for USER_SRP_AUTH. Both are computed together, once, off the lock."""

from __future__ import annotations

from dataclasses import dataclass

from recognito.crypto.passwords import hash_password
from recognito.crypto.srp import make_verifier


@dataclass(frozen=True)
class Credentials:
    password_hash: str | None
    srp_salt: str | None
    srp_verifier: str | None


NONE = Credentials(None, None, None)  # a password that was taken away (admin reset)


def credentials(pool_id: str, username: str, password: str) -> Credentials:
    """The verifier binds the pool and the username, as Cognito's SRP does."""
    verifier = make_verifier(pool_id.split("_", 1)[1], username, password)
    return Credentials(hash_password(password), verifier.salt, verifier.verifier)
