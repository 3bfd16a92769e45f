"""Password hashing: argon2id, self-describing hashes, rehash when parameters change."""

from __future__ import annotations

import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): ~15 ms here, run off the event loop.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Each hash takes 19 MiB while it runs, and the thread's malloc arena keeps it afterwards:
# hashes run on threads of their own, as many as there are cores (more would only take
# turns on them), so a burst of sign-ins queues instead of exhausting memory.
_hashing = ThreadPoolExecutor(os.cpu_count() or 1, thread_name_prefix="argon2")


def hash_password(password: str) -> str:
    return _hashing.submit(_hasher.hash, password).result()


def verify_password(password_hash: str | None, password: str) -> bool:
    """A missing hash (unknown user, password taken away) is checked against a decoy,
    so the time an answer takes does not tell whether the user exists."""
    checked = password_hash or _decoy()
    try:
        return _hashing.submit(_hasher.verify, checked, password).result() and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _decoy() -> str:
    return hash_password(secrets.token_urlsafe(16))


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
