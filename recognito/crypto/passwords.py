"""Password hashing: argon2id, self-describing hashes, rehash when parameters change."""

from __future__ import annotations

import os
import secrets
import threading
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): ~15 ms here, run off the event loop.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Each hash holds 19 MiB while it runs: as many at once as there are cores (more would only
# take turns on them), the rest wait, so a burst of sign-ins cannot exhaust memory.
_running = threading.BoundedSemaphore(os.cpu_count() or 1)


def hash_password(password: str) -> str:
    with _running:
        return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """A missing hash (unknown user, password taken away) is checked against a decoy,
    so the time an answer takes does not tell whether the user exists."""
    decoy = _decoy()
    try:
        with _running:
            return _hasher.verify(password_hash or decoy, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _decoy() -> str:
    return hash_password(secrets.token_urlsafe(16))


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
