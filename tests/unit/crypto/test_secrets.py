"""Identifiers, codes and digests: their formats, every character of each alphabet is used,
tokens decode to the bytes asked for, comparisons are constant-time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import string

import pytest

from recognito.crypto import secrets
from tests.unit.crypto.conftest import Compared

SAMPLES = 300
FORMAT_SAMPLES = 200  # for the format checks
BASE32HEX_LOWER = "0123456789abcdefghijklmnopqrstuv"


def _from_base32hex(value: str) -> bytes:
    """Decode lower-case, unpadded base32hex (RFC 4648 §7) without recognito's help."""
    standard = value.upper().translate(
        str.maketrans("0123456789ABCDEFGHIJKLMNOPQRSTUV", "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    )
    return base64.b32decode(standard + "=" * (-len(standard) % 8))


def test_pool_ids_use_the_whole_alphanumeric_alphabet_and_do_not_repeat() -> None:
    ids = [secrets.pool_id("us-east-1") for _ in range(SAMPLES)]
    assert len(set(ids)) == SAMPLES
    used = set("".join(i.split("_", 1)[1] for i in ids))
    assert used == set(string.ascii_letters + string.digits)


def test_client_ids_carry_128_random_bits() -> None:
    for _ in range(SAMPLES):
        value = secrets.client_id()
        assert len(_from_base32hex(value)) == 16


def test_client_secrets_carry_256_random_bits() -> None:
    for _ in range(SAMPLES):
        value = secrets.client_secret()
        assert len(_from_base32hex(value)) == 32


def test_client_ids_and_secrets_use_the_whole_base32hex_alphabet() -> None:
    used_ids = set("".join(secrets.client_id() for _ in range(SAMPLES)))
    used_secrets = set("".join(secrets.client_secret() for _ in range(SAMPLES)))
    assert used_ids == used_secrets == set(BASE32HEX_LOWER)


def test_numeric_codes_use_every_digit_in_every_position() -> None:
    codes = [secrets.numeric_code() for _ in range(SAMPLES)]
    for position in range(6):
        assert {code[position] for code in codes} == set(string.digits), position


@pytest.mark.parametrize("nbytes", [16, 32, 33, 64])
def test_opaque_tokens_are_url_safe_and_decode_to_the_bytes_asked_for(nbytes: int) -> None:
    tokens = {secrets.opaque_token(nbytes) for _ in range(SAMPLES)}
    assert len(tokens) == SAMPLES
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]+", token), token
        assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) == nbytes


def test_digest_is_lowercase_hex_of_a_sha256_hmac_over_utf8() -> None:
    key = bytes(range(32))
    for value in ["123456", "", "Zoë", "\U0001f600", "a" * 1000]:
        expected = hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()
        result = secrets.digest(key, value)
        assert result == expected
        assert re.fullmatch(r"[0-9a-f]{64}", result)


def test_digests_of_different_values_differ() -> None:
    key = b"instance-key"
    values = [secrets.opaque_token(16) for _ in range(100)]
    assert len({secrets.digest(key, v) for v in values}) == len(values)


@pytest.mark.parametrize(
    ("a", "b", "equal"),
    [
        ("", "", True),
        ("Zoë", "Zoë", True),
        ("Zoë", "Zoe", False),
        ("\U0001f600", "\U0001f600", True),
        ("abc", "abcd", False),
        ("abc", "", False),
    ],
)
def test_same_handles_any_text(a: str, b: str, equal: bool) -> None:
    assert secrets.same(a, b) is equal
    assert secrets.same(b, a) is equal


def test_same_compares_in_constant_time(constant_time_comparisons: Compared) -> None:
    compared = constant_time_comparisons
    assert secrets.same("Zoë", "Zoë") is True
    assert compared == [("Zoë".encode(), "Zoë".encode())]


# --- formats -------------------------------------------------------------------------------------


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1", "ap-southeast-2"])
def test_pool_id_is_region_underscore_nine_alphanumerics(region: str) -> None:
    for _ in range(FORMAT_SAMPLES):
        assert re.fullmatch(re.escape(region) + r"_[0-9A-Za-z]{9}", secrets.pool_id(region))


def test_client_id_is_26_chars_of_base32hex_lower() -> None:
    values = {secrets.client_id() for _ in range(FORMAT_SAMPLES)}
    for value in values:
        assert re.fullmatch(r"[0-9a-v]{26}", value), value
    assert len(values) == FORMAT_SAMPLES


def test_client_secret_is_52_chars_of_base32hex_lower() -> None:
    values = {secrets.client_secret() for _ in range(FORMAT_SAMPLES)}
    for value in values:
        assert re.fullmatch(r"[0-9a-v]{52}", value), value
    assert len(values) == FORMAT_SAMPLES


def test_numeric_code_is_six_digits_by_default() -> None:
    for _ in range(FORMAT_SAMPLES):
        assert re.fullmatch(r"[0-9]{6}", secrets.numeric_code())


def test_numeric_code_can_be_eight_digits() -> None:
    assert re.fullmatch(r"[0-9]{8}", secrets.numeric_code(8))


def test_numeric_codes_vary() -> None:
    assert len({secrets.numeric_code() for _ in range(FORMAT_SAMPLES)}) > 1


def test_digest_is_keyed_hmac_sha256_hex() -> None:
    key = b"instance-key"
    expected = hmac.new(key, b"123456", hashlib.sha256).hexdigest()
    assert secrets.digest(key, "123456") == expected
    assert secrets.digest(b"other-key", "123456") != expected


def test_same_compares_strings() -> None:
    assert secrets.same("abc", "abc") is True
    assert secrets.same("abc", "abd") is False


def test_opaque_tokens_never_start_like_a_command_line_option() -> None:
    from recognito.crypto.secrets import opaque_token

    tokens = [opaque_token(1) for _ in range(2000)]  # 1 in 64 would start with "-"
    assert not any(token.startswith("-") for token in tokens)
    assert len({token[0] for token in tokens}) > 32  # still drawn from the whole alphabet
