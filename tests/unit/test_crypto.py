"""SECRET_HASH, identifiers, codes, password hashing and JWTs (reference §2, §9, §10.1)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re

import pytest
from argon2 import PasswordHasher
from joserfc.jwk import RSAKey

from recognito.crypto import secrets
from recognito.crypto.jwt import (
    InvalidToken,
    sign,
    unverified_claims,
    unverified_header,
    verified_claims,
)
from recognito.crypto.keys import new_key
from recognito.crypto.passwords import hash_password, needs_rehash, verify_password
from recognito.crypto.secret_hash import secret_hash, secret_hash_matches

CLIENT_ID = "6h89qn2bfglbmvfebq9aaknqk0"
CLIENT_SECRET = "1ac4pmokjnuu4kc8rjq5ajcm6bcol1jls2n3cnqh84ssknqvulgi"
SAMPLES = 200


def reference_hash(secret: str, username: str, client_id: str) -> str:
    mac = hmac.new(secret.encode("utf-8"), (username + client_id).encode("utf-8"), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode("ascii")


def b64url_json(segment: str) -> dict[str, object]:
    padded = segment + "=" * (-len(segment) % 4)
    decoded = json.loads(base64.urlsafe_b64decode(padded))
    assert isinstance(decoded, dict)
    return decoded


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


# --- SECRET_HASH ---------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["alice", "alice@example.com", "Zoë", "+14155550123"])
def test_secret_hash_is_base64_hmac_sha256_of_username_and_client_id(username: str) -> None:
    assert secret_hash(CLIENT_SECRET, username, CLIENT_ID) == reference_hash(
        CLIENT_SECRET, username, CLIENT_ID
    )


def test_secret_hash_is_44_chars_of_padded_standard_base64() -> None:
    value = secret_hash(CLIENT_SECRET, "alice", CLIENT_ID)
    assert len(value) == 44
    assert value.endswith("=")
    assert len(base64.b64decode(value, validate=True)) == 32


def test_secret_hash_depends_on_the_secret() -> None:
    assert secret_hash(CLIENT_SECRET, "alice", CLIENT_ID) != secret_hash(
        CLIENT_SECRET[::-1], "alice", CLIENT_ID
    )


def test_secret_hash_matches_any_listed_identifier() -> None:
    identifiers = ["alice", "alice@example.com", "5f0a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b"]
    for name in identifiers:
        given = reference_hash(CLIENT_SECRET, name, CLIENT_ID)
        assert secret_hash_matches(given, CLIENT_SECRET, identifiers, CLIENT_ID) is True


def test_secret_hash_over_unlisted_identifier_does_not_match() -> None:
    given = reference_hash(CLIENT_SECRET, "bob", CLIENT_ID)
    assert secret_hash_matches(given, CLIENT_SECRET, ["alice", "a@example.com"], CLIENT_ID) is False


def test_secret_hash_with_wrong_secret_or_client_does_not_match() -> None:
    wrong_secret = reference_hash("x" * 52, "alice", CLIENT_ID)
    wrong_client = reference_hash(CLIENT_SECRET, "alice", "7cg4g8vorirlhelebcriqnj95a")
    assert secret_hash_matches(wrong_secret, CLIENT_SECRET, ["alice"], CLIENT_ID) is False
    assert secret_hash_matches(wrong_client, CLIENT_SECRET, ["alice"], CLIENT_ID) is False


def test_secret_hash_matches_nothing_for_no_identifiers() -> None:
    given = reference_hash(CLIENT_SECRET, "alice", CLIENT_ID)
    assert secret_hash_matches(given, CLIENT_SECRET, [], CLIENT_ID) is False


# --- identifiers and codes -----------------------------------------------------------------------


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1", "ap-southeast-2"])
def test_pool_id_is_region_underscore_nine_alphanumerics(region: str) -> None:
    for _ in range(SAMPLES):
        assert re.fullmatch(re.escape(region) + r"_[0-9A-Za-z]{9}", secrets.pool_id(region))


def test_client_id_is_26_chars_of_base32hex_lower() -> None:
    values = {secrets.client_id() for _ in range(SAMPLES)}
    for value in values:
        assert re.fullmatch(r"[0-9a-v]{26}", value), value
    assert len(values) == SAMPLES


def test_client_secret_is_52_chars_of_base32hex_lower() -> None:
    values = {secrets.client_secret() for _ in range(SAMPLES)}
    for value in values:
        assert re.fullmatch(r"[0-9a-v]{52}", value), value
    assert len(values) == SAMPLES


def test_numeric_code_is_six_digits_by_default() -> None:
    for _ in range(SAMPLES):
        assert re.fullmatch(r"[0-9]{6}", secrets.numeric_code())


def test_numeric_code_can_be_eight_digits() -> None:
    assert re.fullmatch(r"[0-9]{8}", secrets.numeric_code(8))


def test_numeric_codes_vary() -> None:
    assert len({secrets.numeric_code() for _ in range(SAMPLES)}) > 1


def test_digest_is_keyed_hmac_sha256_hex() -> None:
    key = b"instance-key"
    expected = hmac.new(key, b"123456", hashlib.sha256).hexdigest()
    assert secrets.digest(key, "123456") == expected
    assert secrets.digest(b"other-key", "123456") != expected


def test_same_compares_strings() -> None:
    assert secrets.same("abc", "abc") is True
    assert secrets.same("abc", "abd") is False


# --- password hashing ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stored_hash() -> str:
    return hash_password("Corr3ct!Horse")


def test_password_hash_is_argon2id(stored_hash: str) -> None:
    assert stored_hash.startswith("$argon2id$")
    assert "Corr3ct!Horse" not in stored_hash


def test_password_hash_verifies_the_right_password(stored_hash: str) -> None:
    assert verify_password(stored_hash, "Corr3ct!Horse") is True


def test_password_hash_rejects_a_wrong_password(stored_hash: str) -> None:
    assert verify_password(stored_hash, "corr3ct!Horse") is False
    assert verify_password(stored_hash, "") is False


def test_verify_password_rejects_missing_hash() -> None:
    assert verify_password(None, "Corr3ct!Horse") is False
    assert verify_password("", "Corr3ct!Horse") is False


def test_verify_password_rejects_garbage_hash() -> None:
    assert verify_password("not-a-hash", "Corr3ct!Horse") is False


def test_password_hashes_are_salted() -> None:
    assert hash_password("Corr3ct!Horse") != hash_password("Corr3ct!Horse")


# --- JWT -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def signing_key() -> tuple[str, RSAKey]:
    kid, pem = new_key()
    return kid, RSAKey.import_key(pem)


@pytest.fixture(scope="module")
def other_key() -> tuple[str, RSAKey]:
    kid, pem = new_key()
    return kid, RSAKey.import_key(pem)


CLAIMS = {
    "sub": "34c84488-e0e1-70ae-d2ee-991ad1a898c8",
    "token_use": "access",
    "scope": "aws.cognito.signin.user.admin",
    "iat": 1_783_203_683,
    "exp": 1_783_207_283,
    "username": "alice",
}


def test_new_key_kid_is_44_char_standard_base64_of_32_bytes() -> None:
    kid, pem = new_key()
    assert len(kid) == 44
    assert len(base64.b64decode(kid, validate=True)) == 32
    assert pem.startswith("-----BEGIN")


def test_jwt_round_trip(signing_key: tuple[str, RSAKey]) -> None:
    kid, key = signing_key
    token = sign(CLAIMS, kid, key)
    assert verified_claims(token, key) == CLAIMS


def test_jwt_header_is_exactly_kid_and_alg(signing_key: tuple[str, RSAKey]) -> None:
    kid, key = signing_key
    token = sign(CLAIMS, kid, key)
    expected = {"kid": kid, "alg": "RS256"}
    assert b64url_json(token.split(".")[0]) == expected
    assert unverified_header(token) == expected


def test_unverified_claims_read_the_payload(signing_key: tuple[str, RSAKey]) -> None:
    kid, key = signing_key
    assert unverified_claims(sign(CLAIMS, kid, key)) == CLAIMS


def test_jwt_with_tampered_payload_is_invalid(signing_key: tuple[str, RSAKey]) -> None:
    kid, key = signing_key
    header, _, signature = sign(CLAIMS, kid, key).split(".")
    forged = b64url(json.dumps({**CLAIMS, "username": "mallory"}).encode())
    with pytest.raises(InvalidToken):
        verified_claims(f"{header}.{forged}.{signature}", key)


def test_jwt_with_tampered_signature_is_invalid(signing_key: tuple[str, RSAKey]) -> None:
    kid, key = signing_key
    header, payload, signature = sign(CLAIMS, kid, key).split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
    raw[0] ^= 0x01
    with pytest.raises(InvalidToken):
        verified_claims(f"{header}.{payload}.{b64url(bytes(raw))}", key)


def test_jwt_signed_with_another_key_is_invalid(
    signing_key: tuple[str, RSAKey], other_key: tuple[str, RSAKey]
) -> None:
    other_kid, other = other_key
    token = sign(CLAIMS, other_kid, other)
    with pytest.raises(InvalidToken):
        verified_claims(token, signing_key[1])


@pytest.mark.parametrize("token", ["", "abc", "a.b", "not.a.jwt", "a.b.c.d"])
def test_malformed_jwt_is_invalid(signing_key: tuple[str, RSAKey], token: str) -> None:
    with pytest.raises(InvalidToken):
        verified_claims(token, signing_key[1])


def test_unsigned_alg_none_jwt_is_invalid(signing_key: tuple[str, RSAKey]) -> None:
    kid, key = signing_key
    header = b64url(json.dumps({"kid": kid, "alg": "none"}).encode())
    payload = b64url(json.dumps(CLAIMS).encode())
    with pytest.raises(InvalidToken):
        verified_claims(f"{header}.{payload}.", key)


def test_a_hash_made_with_weaker_parameters_needs_rehash() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash("Passw0rd!")
    assert verify_password(weak, "Passw0rd!")
    assert needs_rehash(weak)
    assert not needs_rehash(hash_password("Passw0rd!"))
