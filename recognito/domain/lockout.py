"""Locking out repeated failed sign-ins (reference §12.1).

After the 5th failed password in a row the user is locked for 1 second; each further
failure doubles the lock, up to 15 minutes. Attempts during a lock fail with "Password
attempts exceeded" — even with the right password — and count for nothing. Fifteen
minutes without any attempt forgive everything; so does a successful sign-in.
"""

from __future__ import annotations

from dataclasses import dataclass

FREE_FAILURES = 4  # the 5th failure brings the first (1 s) lock
LONGEST_LOCK = 900.0
FORGIVEN_AFTER = 900.0
LOCKED_OUT = "Password attempts exceeded"


@dataclass(frozen=True)
class Lockout:
    failures: int
    last_attempt_at: float  # any attempt, refused ones too: forgiveness counts from here
    locked_until: float | None

    def locks(self, now: float) -> bool:
        return self.locked_until is not None and now < self.locked_until


def after_failure(previous: Lockout | None, now: float) -> Lockout:
    failures = 1
    if previous is not None and now - previous.last_attempt_at < FORGIVEN_AFTER:
        failures = previous.failures + 1
    locked_until = None
    if failures > FREE_FAILURES:
        locked_until = now + min(2.0 ** (failures - FREE_FAILURES - 1), LONGEST_LOCK)
    return Lockout(failures, now, locked_until)
