"""Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30 s) via pyotp; a code of
the step before or after is accepted too, for clock drift between phone and server."""

from __future__ import annotations

import pyotp


def new_secret() -> str:
    """A base32 shared secret, the `SecretCode` authenticator apps are given."""
    return pyotp.random_base32(32)


STEP = 30


def matching_step(secret: str, code: str, now: float) -> int | None:
    """The time step (now, or one either side) whose code this is, or None.

    Callers keep the last step they accepted, so a code cannot be used twice."""
    if not (code.isascii() and code.isdigit()):  # pyotp would take full-width digits
        return None
    authenticator = pyotp.TOTP(secret, interval=STEP)
    for offset in (0, -1, 1):
        moment = now + offset * STEP
        if moment >= 0 and authenticator.verify(code, for_time=moment):
            return int(moment // STEP)
    return None


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The otpauth:// URI an authenticator app scans (as a QR code) or is typed."""
    return pyotp.TOTP(secret, interval=STEP).provisioning_uri(name=account, issuer_name=issuer)
