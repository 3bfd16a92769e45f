"""Per-user hourly caps: a window opened by the first call, refusals past the limit."""

from __future__ import annotations

import pytest

from recognito import errors
from recognito.domain.quotas import LIMITS, WINDOW, Quota, admit
from recognito.domain.records import Counter

NOW = 1_700_000_000.0


def test_calls_up_to_the_limit_are_admitted_then_refused() -> None:
    calls = Counter(0, NOW, NOW)
    for n in range(LIMITS[Quota.CHANGE_PASSWORD]):
        calls = admit(calls, Quota.CHANGE_PASSWORD, NOW + n)
    assert calls.count == LIMITS[Quota.CHANGE_PASSWORD]
    with pytest.raises(errors.LimitExceededException) as caught:
        admit(calls, Quota.CHANGE_PASSWORD, NOW + 10)
    assert caught.value.message == "Attempt limit exceeded, please try after some time."


def test_a_new_window_opens_an_hour_after_the_first_call() -> None:
    spent = Counter(LIMITS[Quota.PASSWORD_RESET], NOW, NOW + 30)
    with pytest.raises(errors.LimitExceededException):
        admit(spent, Quota.PASSWORD_RESET, NOW + WINDOW - 1)
    fresh = admit(spent, Quota.PASSWORD_RESET, NOW + WINDOW)
    assert (fresh.count, fresh.first_at) == (1, NOW + WINDOW)
