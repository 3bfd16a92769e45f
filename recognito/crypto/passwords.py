"""Password hashing: argon2id, self-describing hashes, rehash when parameters change."""

from __future__ import annotations

import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): ~15-25 ms a hash, run off the event
# loop. "fast" is for the test suites of apps under test, where no real password is kept:
# a hash costs microseconds. It is never the default, and the server announces it.
PROFILES = {
    "standard": PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1),
    "fast": PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
}
_hasher = PROFILES["standard"]
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
def _decoy() -> str:  # made with the profile in use, so it costs what a real hash costs
    return hash_password(secrets.token_urlsafe(16))


def use_profile(name: str) -> None:
    """Hash with the `name` profile from now on (a server chooses once, at start)."""
    global _hasher
    _hasher = PROFILES[name]
    _decoy.cache_clear()


def needs_rehash(password_hash: str) -> bool:
    """A hash made with weaker parameters than the standard ones gets upgraded; the fast
    profile never rewrites a hash (it would weaken it)."""
    return _hasher is PROFILES["standard"] and _hasher.check_needs_rehash(password_hash)
