"""Lockout arithmetic (reference §12.1): free failures, doubling locks, the cap, forgiveness."""

from __future__ import annotations

from recognito.domain.lockout import after_failure, after_refusal, locks
from recognito.domain.records import Counter

NOW = 1_700_000_000.0


def _fail(times: int, start: Counter | None = None, gap: float = 1.0) -> Counter | None:
    state, now = start, NOW
    for _ in range(times):
        state = after_failure(state, now)
        now += gap
    return state


def test_four_failures_lock_nothing() -> None:
    state = _fail(4)
    assert state is not None and state.count == 4
    assert not locks(state, NOW + 4)


def test_the_fifth_failure_locks_for_one_second() -> None:
    state = after_failure(_fail(4), NOW + 10)
    assert state.until == NOW + 11
    assert locks(state, NOW + 10.5)
    assert not locks(state, NOW + 11)


def test_each_further_failure_doubles_the_lock() -> None:
    state = _fail(7)
    assert state is not None and state.count == 7
    assert state.until == state.last_at + 4


def test_the_lock_is_capped_at_fifteen_minutes() -> None:
    state = _fail(30)
    assert state is not None and state.until == state.last_at + 900


def test_fifteen_quiet_minutes_forgive_past_failures() -> None:
    state = after_failure(_fail(6), NOW + 6 + 900)
    assert state.count == 1
    assert state.until is None


def test_a_refused_attempt_is_a_sign_of_life_not_a_failure() -> None:
    state = _fail(5)
    assert state is not None
    refused = after_refusal(state, NOW + 100)
    assert (refused.count, refused.until, refused.last_at) == (5, state.until, NOW + 100)
    assert not locks(None, NOW)
