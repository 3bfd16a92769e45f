"""Lockout arithmetic (reference §12.1): free failures, doubling locks, the cap, forgiveness."""

from __future__ import annotations

from recognito.domain.lockout import Lockout, after_failure

NOW = 1_700_000_000.0


def _fail(times: int, start: Lockout | None = None, gap: float = 1.0) -> Lockout | None:
    state, now = start, NOW
    for _ in range(times):
        state = after_failure(state, now)
        now += gap
    return state


def test_four_failures_lock_nothing() -> None:
    state = _fail(4)
    assert state is not None and state.failures == 4
    assert not state.locks(NOW + 4)


def test_the_fifth_failure_locks_for_one_second() -> None:
    state = after_failure(_fail(4), NOW + 10)
    assert state.locked_until == NOW + 11
    assert state.locks(NOW + 10.5)
    assert not state.locks(NOW + 11)


def test_each_further_failure_doubles_the_lock() -> None:
    state = _fail(7)
    assert state is not None and state.failures == 7
    assert state.locked_until == state.last_attempt_at + 4


def test_the_lock_is_capped_at_fifteen_minutes() -> None:
    state = _fail(30)
    assert state is not None and state.locked_until == state.last_attempt_at + 900


def test_fifteen_quiet_minutes_forgive_past_failures() -> None:
    state = after_failure(_fail(6), NOW + 6 + 900)
    assert state.failures == 1
    assert state.locked_until is None
