"""Per-user hourly caps on the calls that send codes or test secrets (docs/behaviour.md §6.5,
§6.6, §11.1, §12.2).

Each quota counts a user's calls in a window that opens with the first call and lasts
an hour; one call more is refused with LimitExceededException until the window ends.
Refused calls are not counted. Cognito publishes ranges, not exact numbers, for some of
these (password resets: 5 to 20 an hour depending on risk); the figures below are ours.
"""

from __future__ import annotations

from enum import StrEnum

from recognito import errors
from recognito.domain.codes import LIMIT
from recognito.domain.records import Counter

WINDOW = 3600.0


class Quota(StrEnum):
    PASSWORD_RESET = "password_reset"  # ForgotPassword and ConfirmForgotPassword together
    CHANGE_PASSWORD = "change_password"
    RESEND_SIGN_UP_CODE = "resend_sign_up_code"
    CONFIRM_SIGN_UP = "confirm_sign_up"
    ATTRIBUTE_CODE = "attribute_code"  # GetUserAttributeVerificationCode
    VERIFY_ATTRIBUTE = "verify_attribute"


LIMITS = {
    Quota.PASSWORD_RESET: 10,
    Quota.CHANGE_PASSWORD: 5,
    Quota.RESEND_SIGN_UP_CODE: 5,
    Quota.CONFIRM_SIGN_UP: 15,
    Quota.ATTRIBUTE_CODE: 5,
    Quota.VERIFY_ATTRIBUTE: 15,
}


def admit(calls: Counter, quota: Quota, now: float) -> Counter:
    """The count with one more call; LimitExceededException if the quota is spent."""
    if now - calls.first_at >= WINDOW:
        return Counter(1, first_at=now, last_at=now)
    if calls.count >= LIMITS[quota]:
        raise errors.LimitExceededException(LIMIT)
    return Counter(calls.count + 1, first_at=calls.first_at, last_at=now)
