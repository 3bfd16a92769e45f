"""Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30 s) via pyotp; a code of
the step before or after is accepted too, for clock drift between phone and server."""

from __future__ import annotations

import pyotp


def new_secret() -> str:
    """A base32 shared secret, the `SecretCode` authenticator apps are given."""
    return pyotp.random_base32(32)


def verify(secret: str, code: str, now: float) -> bool:
    return bool(pyotp.TOTP(secret).verify(code, for_time=now, valid_window=1))
