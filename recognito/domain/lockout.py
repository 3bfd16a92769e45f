"""Locking out repeated failed sign-ins (docs/behaviour.md §12.1).

After the 5th failed password in a row the user is locked for 1 second; each further
failure doubles the lock, up to 15 minutes. Attempts during a lock fail with "Password
attempts exceeded" — even with the right password — and count for nothing. Fifteen
minutes without any attempt forgive everything; so does a successful sign-in.

The failures are a `Counter`: `count` failures, the latest attempt at `last_at` (refused
ones too: forgiveness counts from there), locked `until`.
"""

from __future__ import annotations

from dataclasses import replace

from recognito.domain.records import Counter

FREE_FAILURES = 4  # the 5th failure brings the first (1 s) lock
LONGEST_LOCK = 900.0
FORGIVEN_AFTER = 900.0
LOCKED_OUT = "Password attempts exceeded"


def locks(failures: Counter | None, now: float) -> bool:
    return failures is not None and failures.until is not None and now < failures.until


def after_refusal(failures: Counter, now: float) -> Counter:
    """An attempt refused during a lock: a sign of life, not a failure."""
    return replace(failures, last_at=now)


def after_failure(previous: Counter | None, now: float) -> Counter:
    count = 1
    if previous is not None and now - previous.last_at < FORGIVEN_AFTER:
        count = previous.count + 1
    until = None
    if count > FREE_FAILURES:
        until = now + min(2.0 ** (count - FREE_FAILURES - 1), LONGEST_LOCK)
    return Counter(count, first_at=now, last_at=now, until=until)
