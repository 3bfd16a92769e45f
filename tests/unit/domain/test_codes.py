"""One-time code checks and lifetimes (behaviour reference §6.2, §6.5, §11.1, §15.2)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from recognito.domain.codes import (
    LIFETIME,
    MAX_FAILED_ATTEMPTS,
    Purpose,
    check_code,
    failures_carried,
    fitted,
    mismatch,
)
from recognito.domain.records import Code
from recognito.errors import CodeMismatchException, ExpiredCodeException, LimitExceededException

NOW = 1_700_000_000.0
EXPIRED = "Invalid code provided, please request a code again."
LIMIT = "Attempt limit exceeded, please try after some time."
MISMATCH = "Invalid verification code provided, please try again."


def make_code(
    *, digest: str = "digest-of-123456", expires_at: float = NOW + 3600, failed: int = 0
) -> Code:
    return Code(
        subject="5f0a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b",
        purpose=Purpose.SIGN_UP,
        digest=digest,
        expires_at=expires_at,
        failed_attempts=failed,
    )


def test_missing_code_is_expired() -> None:
    with pytest.raises(ExpiredCodeException) as exc:
        check_code(None, "digest-of-123456", NOW)
    assert exc.value.message == EXPIRED


def test_code_past_its_expiry_is_expired() -> None:
    code = make_code(expires_at=NOW - 1)
    with pytest.raises(ExpiredCodeException) as exc:
        check_code(code, "digest-of-123456", NOW)
    assert exc.value.message == EXPIRED


def test_code_is_still_usable_at_its_expiry_instant() -> None:
    code = make_code(expires_at=NOW)
    assert check_code(code, "digest-of-123456", NOW) is True


def test_exhausted_code_is_refused_with_limit_exceeded() -> None:
    code = make_code(failed=MAX_FAILED_ATTEMPTS)
    with pytest.raises(LimitExceededException) as exc:
        check_code(code, "digest-of-654321", NOW)
    assert exc.value.message == LIMIT


def test_exhausted_code_is_refused_even_when_it_matches() -> None:
    code = make_code(failed=MAX_FAILED_ATTEMPTS)
    with pytest.raises(LimitExceededException):
        check_code(code, "digest-of-123456", NOW)


def test_code_one_failure_short_of_the_limit_is_still_checked() -> None:
    code = make_code(failed=MAX_FAILED_ATTEMPTS - 1)
    assert check_code(code, "digest-of-123456", NOW) is True


def test_max_failed_attempts_is_five() -> None:
    assert MAX_FAILED_ATTEMPTS == 5


def test_mismatching_code_returns_false() -> None:
    assert check_code(make_code(), "digest-of-654321", NOW) is False


def test_matching_code_returns_true() -> None:
    assert check_code(make_code(), "digest-of-123456", NOW) is True


def test_mismatch_error_has_cognitos_message() -> None:
    error = mismatch()
    assert isinstance(error, CodeMismatchException)
    assert error.message == MISMATCH


def test_password_reset_code_lives_one_hour() -> None:
    assert LIFETIME[Purpose.PASSWORD_RESET] == 3600


def test_sign_up_code_lives_24_hours() -> None:
    assert LIFETIME[Purpose.SIGN_UP] == 24 * 3600


@pytest.mark.parametrize("attribute", ["email", "phone_number"])
def test_attribute_verification_code_lives_24_hours(attribute: str) -> None:
    assert LIFETIME[Purpose.verify(attribute)] == 24 * 3600


def test_verify_purpose_names_the_attribute() -> None:
    assert Purpose.verify("email") is Purpose.VERIFY_EMAIL
    assert Purpose.verify("phone_number") is Purpose.VERIFY_PHONE


def test_a_new_code_inherits_recent_failures() -> None:
    previous = replace(make_code(failed=4), issued_at=NOW - 600)
    assert failures_carried(previous, NOW) == 4


def test_failures_older_than_an_hour_are_forgotten() -> None:
    previous = replace(make_code(failed=5), issued_at=NOW - 3600)
    assert failures_carried(previous, NOW) == 0


def test_a_first_code_starts_without_failures() -> None:
    assert failures_carried(None, NOW) == 0


def test_a_fixed_code_is_fitted_to_the_length_a_purpose_sends() -> None:
    assert fitted("123456", 6) == "123456"
    assert fitted("123456", 8) == "12345600"
    assert fitted("12345678", 6) == "123456"
    assert fitted("12345678", 8) == "12345678"
