"""One-time codes: what they are for, how long they live, how many wrong tries they take.

A code is stored as a keyed digest. Each wrong try is counted; after
MAX_FAILED_ATTEMPTS the caller is told to slow down. Asking for a new code does
not reset the count while the last code is under an hour old, so resending
cannot buy more than MAX_FAILED_ATTEMPTS guesses an hour.
"""

from __future__ import annotations

import hmac
from enum import StrEnum

from recognito import errors
from recognito.domain.records import Code

HOUR = 3600.0
MAX_FAILED_ATTEMPTS = 5


class Purpose(StrEnum):
    SIGN_UP = "sign_up"
    PASSWORD_RESET = "password_reset"
    VERIFY_EMAIL = "verify:email"
    VERIFY_PHONE = "verify:phone_number"
    MFA_SMS = "mfa:sms"  # the newest SMS_MFA code; expires with the session that sent it
    MFA_EMAIL = "mfa:email"  # the same for an EMAIL_OTP second factor
    OTP_EMAIL = "otp:email"  # an EMAIL_OTP first factor of USER_AUTH (passwordless)
    OTP_SMS = "otp:sms"  # an SMS_OTP first factor of USER_AUTH

    @staticmethod
    def verify(attribute: str) -> Purpose:
        return Purpose(f"verify:{attribute}")


# codes answered inside a sign-in session: the session already bounds them, and a cap
# would let anyone who knows the password block the owner's sign-in
UNCAPPED = {Purpose.MFA_SMS, Purpose.MFA_EMAIL, Purpose.OTP_EMAIL, Purpose.OTP_SMS}

# passwordless sign-in codes are 8 digits (reference §2, §11.1); every other code 6
DIGITS = {Purpose.OTP_EMAIL: 8, Purpose.OTP_SMS: 8}

LIFETIME = {
    Purpose.SIGN_UP: 24 * HOUR,
    Purpose.PASSWORD_RESET: 1 * HOUR,
    Purpose.VERIFY_EMAIL: 24 * HOUR,
    Purpose.VERIFY_PHONE: 24 * HOUR,
    Purpose.MFA_SMS: 3 * 60.0,
    Purpose.MFA_EMAIL: 3 * 60.0,
    Purpose.OTP_EMAIL: 3 * 60.0,
    Purpose.OTP_SMS: 3 * 60.0,
}

MISMATCH = "Invalid verification code provided, please try again."
EXPIRED = "Invalid code provided, please request a code again."
LIMIT = "Attempt limit exceeded, please try after some time."


def check_code(code: Code | None, given_digest: str, now: float) -> bool:
    """Raise Cognito's error for an unusable code; return whether the digest matches.

    A False result means a wrong code: the caller counts the failure, then
    raises `mismatch()` (after committing, so the count sticks).
    """
    if code is None or now > code.expires_at:
        raise errors.ExpiredCodeException(EXPIRED)
    if code.purpose not in UNCAPPED and code.failed_attempts >= MAX_FAILED_ATTEMPTS:
        raise errors.LimitExceededException(LIMIT)
    return hmac.compare_digest(code.digest, given_digest)


def mismatch() -> errors.CodeMismatchException:
    return errors.CodeMismatchException(MISMATCH)


def failures_carried(previous: Code | None, now: float) -> int:
    """Wrong tries a new code inherits from the one it replaces."""
    if previous is None or previous.purpose in UNCAPPED or now - previous.issued_at >= HOUR:
        return 0
    return previous.failed_attempts
