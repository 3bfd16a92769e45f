"""Random identifiers and digests of the one-time secrets we hand out.

Codes, session handles and refresh tokens are stored only as keyed digests
(HMAC-SHA256 under the instance key), so a copy of the database alone does
not let anyone spend them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_ALNUM = string.ascii_letters + string.digits
# Cognito's client ids and secrets look like base32hex, lower-cased
_B32HEX = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "abcdefghijklmnopqrstuv0123456789")


# An id a seed file fixes, taken by the next pool or client made in this context in
# place of a random one, so the seed creates them through the operations themselves
_CHOSEN: ContextVar[str | None] = ContextVar("chosen_id", default=None)


@contextmanager
def chosen_id(value: str | None) -> Iterator[None]:
    """The next pool_id() or client_id() in this context returns `value` (None: random)."""
    token = _CHOSEN.set(value)
    try:
        yield
    finally:
        _CHOSEN.reset(token)


def _chosen() -> str | None:
    value = _CHOSEN.get()
    if value is not None:
        _CHOSEN.set(None)  # one id, once
    return value


def pool_id(region: str) -> str:
    return _chosen() or f"{region}_" + "".join(secrets.choice(_ALNUM) for _ in range(9))


def client_id() -> str:
    return _chosen() or _base32hex(16)[:26]


def client_secret() -> str:
    return _base32hex(32)[:52]


def _base32hex(nbytes: int) -> str:
    raw = base64.b32encode(secrets.token_bytes(nbytes)).decode().rstrip("=")
    return raw.translate(_B32HEX)


def numeric_code(digits: int = 6) -> str:
    return "".join(secrets.choice(string.digits) for _ in range(digits))


def opaque_token(nbytes: int) -> str:
    """A URL-safe random token that never starts with "-": a command line would take
    `aws … --session -Xy…` for an option (1 in 64 tokens otherwise)."""
    while True:
        token = secrets.token_urlsafe(nbytes)
        if not token.startswith("-"):
            return token


def digest(key: bytes, value: str) -> str:
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
