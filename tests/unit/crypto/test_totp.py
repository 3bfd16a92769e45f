"""TOTP: RFC 6238 Appendix B (SHA-1) vectors, Cognito's 6 digits, the drift window, and
the step a code is matched to (callers refuse a step not newer than the last one used)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

import pytest

from recognito.crypto.totp import STEP, matching_step, new_secret

# RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890"
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()
RFC_VECTORS = [
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
    (20000000000, "65353130"),
]
# the 6-digit code is the low six digits of the 8-digit one (both are a value mod 10^n)
SIX_DIGITS = [(t, code[-6:]) for t, code in RFC_VECTORS]
# away from the epoch, so that the step before exists
LATER = SIX_DIGITS[1:]


def _hotp(secret_b32: str, counter: int, digits: int = 6) -> str:
    """RFC 4226 HOTP written out here, independently of pyotp."""
    mac = hmac.new(base64.b32decode(secret_b32), counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


@pytest.mark.parametrize(("t", "code"), RFC_VECTORS)
def test_the_reference_hotp_reproduces_the_rfc_vectors(t: int, code: str) -> None:
    assert _hotp(RFC_SECRET, t // 30, digits=8) == code


def test_the_step_is_thirty_seconds() -> None:
    assert STEP == 30


@pytest.mark.parametrize(("t", "code"), SIX_DIGITS)
def test_rfc_vector_codes_match_their_own_step(t: int, code: str) -> None:
    assert matching_step(RFC_SECRET, code, t) == t // 30


@pytest.mark.parametrize(("t", "code"), RFC_VECTORS)
def test_eight_digit_codes_are_refused(t: int, code: str) -> None:
    assert matching_step(RFC_SECRET, code, t) is None


def test_a_code_keeps_its_leading_zero() -> None:
    t, code = 1111111109, "081804"
    assert matching_step(RFC_SECRET, code, t) == t // 30
    assert matching_step(RFC_SECRET, code.lstrip("0"), t) is None


@pytest.mark.parametrize(("t", "code"), SIX_DIGITS)
def test_any_moment_within_the_step_matches(t: int, code: str) -> None:
    start = t - t % 30
    for moment in (start, start + 0.5, start + 29, start + 29.999):
        assert matching_step(RFC_SECRET, code, moment) == t // 30


@pytest.mark.parametrize(("t", "code"), LATER)
def test_a_code_of_the_step_before_is_accepted_for_drift(t: int, code: str) -> None:
    assert matching_step(RFC_SECRET, code, t + STEP) == t // 30


@pytest.mark.parametrize(("t", "code"), LATER)
def test_a_code_of_the_step_after_is_accepted_for_drift(t: int, code: str) -> None:
    assert matching_step(RFC_SECRET, code, t - STEP) == t // 30


@pytest.mark.parametrize(("t", "code"), LATER)
def test_a_code_two_steps_away_is_refused(t: int, code: str) -> None:
    assert matching_step(RFC_SECRET, code, t + 2 * STEP) is None
    assert matching_step(RFC_SECRET, code, t - 2 * STEP) is None


@pytest.mark.parametrize(("t", "code"), LATER)
def test_a_code_names_the_same_step_whenever_it_is_presented(t: int, code: str) -> None:
    """The step returned is the code's, not the clock's: a code used once and presented
    again (even in the next step) names a step the caller has already recorded."""
    seen = {matching_step(RFC_SECRET, code, now) for now in (t - STEP, t, t + STEP)}
    assert seen == {t // 30}
    assert matching_step(RFC_SECRET, code, t + STEP) != (t + STEP) // 30


def test_codes_of_consecutive_steps_name_increasing_steps() -> None:
    t = 1_783_203_683
    steps = [matching_step(RFC_SECRET, _hotp(RFC_SECRET, t // 30 + i), t) for i in (-1, 0, 1)]
    assert steps == [t // 30 - 1, t // 30, t // 30 + 1]


@pytest.mark.parametrize(
    "code", ["", "000000", "050470", "50471", "0504710", "abcdef", " 050471", "050471 "]
)
def test_wrong_codes_are_refused(code: str) -> None:
    t = 1111111111  # whose code is 050471
    assert matching_step(RFC_SECRET, code, t) is None


def test_a_code_for_another_secret_is_refused() -> None:
    t, code = SIX_DIGITS[2]
    other = base64.b32encode(b"12345678901234567891").decode()
    assert _hotp(other, t // 30) != code
    assert matching_step(other, code, t) is None


def test_new_secrets_are_32_base32_characters_of_fresh_randomness() -> None:
    secrets = {new_secret() for _ in range(200)}
    assert len(secrets) == 200
    for secret in secrets:
        assert re.fullmatch(r"[A-Z2-7]{32}", secret), secret
        assert len(base64.b32decode(secret)) == 20  # 160 bits, RFC 4226's recommendation


def test_a_new_secret_verifies_codes_computed_independently() -> None:
    secret = new_secret()
    t = 1_783_203_683
    for counter in (t // 30 - 1, t // 30, t // 30 + 1):
        assert matching_step(secret, _hotp(secret, counter), t) == counter
    assert matching_step(secret, _hotp(secret, t // 30 + 2), t) is None


def test_only_ascii_digits_are_codes() -> None:
    secret = new_secret()
    code = _hotp(secret, 1_700_000_000 // STEP)
    wide = code.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert matching_step(secret, code, 1_700_000_000) is not None
    assert matching_step(secret, wide, 1_700_000_000) is None


def test_a_wrong_code_in_the_first_step_after_the_epoch_is_refused_quietly() -> None:
    secret = new_secret()
    right = _hotp(secret, 0)
    wrong = str((int(right) + 1) % 1_000_000).zfill(6)
    assert matching_step(secret, right, 10) == 0
    assert matching_step(secret, wrong, 10) is None
