"""JWTs: round trips and tampering, expiry is the caller's, only RS256 is accepted (no
algorithm confusion), and every malformed token is InvalidToken, never another error."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from joserfc import jws
from joserfc.jwk import RSAKey

from recognito.crypto.jwt import (
    InvalidToken,
    sign,
    unverified_claims,
    unverified_header,
    verified_claims,
)
from recognito.crypto.keys import new_key

CLAIMS: dict[str, Any] = {
    "sub": "34c84488-e0e1-70ae-d2ee-991ad1a898c8",
    "token_use": "id",
    "cognito:username": "Zoë",
    "email_verified": True,
    "auth_time": 1_783_203_683,
    "iat": 1_783_203_683,
    "exp": 1_783_207_283,
    "cognito:groups": ["admins", "ünïcode"],
}


@pytest.fixture(scope="module")
def signer() -> tuple[str, RSAKey]:
    kid, pem = new_key()
    return kid, RSAKey.import_key(pem)


@pytest.fixture(scope="module")
def other_key() -> tuple[str, RSAKey]:
    kid, pem = new_key()
    return kid, RSAKey.import_key(pem)


ACCESS_CLAIMS = {
    "sub": "34c84488-e0e1-70ae-d2ee-991ad1a898c8",
    "token_use": "access",
    "scope": "aws.cognito.signin.user.admin",
    "iat": 1_783_203_683,
    "exp": 1_783_207_283,
    "username": "alice",
}


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64url_json(segment: str) -> dict[str, object]:
    padded = segment + "=" * (-len(segment) % 4)
    decoded = json.loads(base64.urlsafe_b64decode(padded))
    assert isinstance(decoded, dict)
    return decoded


def _segment(value: Any) -> str:
    return _b64url(json.dumps(value).encode())


def _rsa_sign(key: RSAKey, signing_input: str, digest: hashes.HashAlgorithm) -> str:
    private = key.private_key
    assert isinstance(private, rsa.RSAPrivateKey)
    return _b64url(private.sign(signing_input.encode(), padding.PKCS1v15(), digest))


# --- expiry is the caller's ----------------------------------------------------------------


@pytest.mark.parametrize(
    "times",
    [{"exp": 1, "iat": 0}, {"nbf": 99_999_999_999}, {"exp": "not a number"}],
    ids=["long-expired", "not-yet-valid", "odd-exp"],
)
def test_time_claims_are_returned_not_judged(
    signer: tuple[str, RSAKey], times: dict[str, Any]
) -> None:
    kid, key = signer
    claims = {**CLAIMS, **times}
    assert verified_claims(sign(claims, kid, key), key) == claims


def test_claims_of_any_json_type_round_trip(signer: tuple[str, RSAKey]) -> None:
    kid, key = signer
    token = sign(CLAIMS, kid, key)
    assert verified_claims(token, key) == CLAIMS
    assert "=" not in token  # base64url without padding, as JWS compact form requires


def test_a_token_signed_independently_with_rs256_verifies(signer: tuple[str, RSAKey]) -> None:
    kid, key = signer
    signing_input = f"{_segment({'kid': kid, 'alg': 'RS256'})}.{_segment(CLAIMS)}"
    token = f"{signing_input}.{_rsa_sign(key, signing_input, hashes.SHA256())}"
    assert verified_claims(token, key) == CLAIMS


# --- only RS256 ----------------------------------------------------------------------------


def test_hs256_keyed_with_the_public_key_is_refused(signer: tuple[str, RSAKey]) -> None:
    """The classic algorithm confusion: an HMAC 'signed' with the public key anyone has."""
    kid, key = signer
    signing_input = f"{_segment({'kid': kid, 'alg': 'HS256'})}.{_segment(CLAIMS)}"
    public_pem = key.as_pem(private=False)
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    with pytest.raises(InvalidToken):
        verified_claims(f"{signing_input}.{_b64url(mac)}", key)


@pytest.mark.parametrize(
    ("alg", "digest"),
    [("RS512", hashes.SHA512()), ("RS384", hashes.SHA384())],
)
def test_other_rsa_algorithms_are_refused_even_with_the_right_key(
    signer: tuple[str, RSAKey], alg: str, digest: hashes.HashAlgorithm
) -> None:
    kid, key = signer
    signing_input = f"{_segment({'kid': kid, 'alg': alg})}.{_segment(CLAIMS)}"
    token = f"{signing_input}.{_rsa_sign(key, signing_input, digest)}"
    with pytest.raises(InvalidToken):
        verified_claims(token, key)


def test_a_rs256_header_over_a_sha512_signature_is_refused(signer: tuple[str, RSAKey]) -> None:
    kid, key = signer
    signing_input = f"{_segment({'kid': kid, 'alg': 'RS256'})}.{_segment(CLAIMS)}"
    token = f"{signing_input}.{_rsa_sign(key, signing_input, hashes.SHA512())}"
    with pytest.raises(InvalidToken):
        verified_claims(token, key)


# --- malformed tokens ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        {},
        {"alg": 1},
        {"alg": ["RS256"]},
        {"alg": "RS256", "crit": ["exp"]},
        {"alg": "RS256", "zip": "DEF"},
        [],
        "RS256",
        None,
    ],
    ids=["no-alg", "int-alg", "list-alg", "crit", "zip", "list", "string", "null"],
)
def test_odd_headers_are_invalid_tokens(signer: tuple[str, RSAKey], header: Any) -> None:
    kid, key = signer
    _, payload, signature = sign(CLAIMS, kid, key).split(".")
    with pytest.raises(InvalidToken):
        verified_claims(f"{_segment(header)}.{payload}.{signature}", key)


@pytest.mark.parametrize(
    "segment",
    ["", "!!!", "é", _b64url(b"\xff\xfe"), _b64url(b"not json"), _segment([1]), _segment(None)],
    ids=["empty", "not-base64", "non-ascii", "not-utf8", "not-json", "list", "null"],
)
def test_unverified_header_refuses_what_is_not_a_json_object(
    signer: tuple[str, RSAKey], segment: str
) -> None:
    kid, key = signer
    _, payload, signature = sign(CLAIMS, kid, key).split(".")
    with pytest.raises(InvalidToken):
        unverified_header(f"{segment}.{payload}.{signature}")


@pytest.mark.parametrize(
    "segment",
    [_b64url(b"\xff\xfe"), _b64url(b"not json"), _segment([1]), _segment("x"), _segment(None)],
    ids=["not-utf8", "not-json", "list", "string", "null"],
)
def test_unverified_claims_refuses_what_is_not_a_json_object(
    signer: tuple[str, RSAKey], segment: str
) -> None:
    kid, key = signer
    header, _, signature = sign(CLAIMS, kid, key).split(".")
    with pytest.raises(InvalidToken):
        unverified_claims(f"{header}.{segment}.{signature}")


@pytest.mark.parametrize("token", ["", "a", "a.b", "a.b.c.d", "...."])
def test_unverified_claims_wants_three_parts(token: str) -> None:
    with pytest.raises(InvalidToken):
        unverified_claims(token)


def test_unverified_reads_do_not_check_the_signature(signer: tuple[str, RSAKey]) -> None:
    """They serve routing (which pool, which kid) before a key is chosen, nothing more."""
    kid, key = signer
    header, _, _ = sign(CLAIMS, kid, key).split(".")
    forged = {**CLAIMS, "sub": "someone-else"}
    token = f"{header}.{_segment(forged)}.{_b64url(b'no signature')}"
    assert unverified_header(token) == {"kid": kid, "alg": "RS256"}
    assert unverified_claims(token) == forged
    with pytest.raises(InvalidToken):
        verified_claims(token, key)


@pytest.mark.parametrize("payload", [b"[1]", b"1", b"null", b"[[1, 2]]"])
def test_a_signed_payload_that_is_not_an_object_is_an_invalid_token(
    signer: tuple[str, RSAKey], payload: bytes
) -> None:
    _, key = signer
    token = jws.serialize_compact({"alg": "RS256"}, payload, key)
    with pytest.raises(InvalidToken):
        verified_claims(token, key)


# --- round trips and tampering -------------------------------------------------------------


def test_jwt_round_trip(signer: tuple[str, RSAKey]) -> None:
    kid, key = signer
    token = sign(ACCESS_CLAIMS, kid, key)
    assert verified_claims(token, key) == ACCESS_CLAIMS


def test_jwt_header_is_exactly_kid_and_alg(signer: tuple[str, RSAKey]) -> None:
    kid, key = signer
    token = sign(ACCESS_CLAIMS, kid, key)
    expected = {"kid": kid, "alg": "RS256"}
    assert _b64url_json(token.split(".")[0]) == expected
    assert unverified_header(token) == expected


def test_unverified_claims_read_the_payload(signer: tuple[str, RSAKey]) -> None:
    kid, key = signer
    assert unverified_claims(sign(ACCESS_CLAIMS, kid, key)) == ACCESS_CLAIMS


def test_jwt_with_tampered_payload_is_invalid(signer: tuple[str, RSAKey]) -> None:
    kid, key = signer
    header, _, signature = sign(ACCESS_CLAIMS, kid, key).split(".")
    forged = _b64url(json.dumps({**ACCESS_CLAIMS, "username": "mallory"}).encode())
    with pytest.raises(InvalidToken):
        verified_claims(f"{header}.{forged}.{signature}", key)


def test_jwt_with_tampered_signature_is_invalid(signer: tuple[str, RSAKey]) -> None:
    kid, key = signer
    header, payload, signature = sign(ACCESS_CLAIMS, kid, key).split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
    raw[0] ^= 0x01
    with pytest.raises(InvalidToken):
        verified_claims(f"{header}.{payload}.{_b64url(bytes(raw))}", key)


def test_jwt_signed_with_another_key_is_invalid(
    signer: tuple[str, RSAKey], other_key: tuple[str, RSAKey]
) -> None:
    other_kid, other = other_key
    token = sign(ACCESS_CLAIMS, other_kid, other)
    with pytest.raises(InvalidToken):
        verified_claims(token, signer[1])


@pytest.mark.parametrize("token", ["", "abc", "a.b", "not.a.jwt", "a.b.c.d"])
def test_malformed_jwt_is_invalid(signer: tuple[str, RSAKey], token: str) -> None:
    with pytest.raises(InvalidToken):
        verified_claims(token, signer[1])


def test_unsigned_alg_none_jwt_is_invalid(signer: tuple[str, RSAKey]) -> None:
    kid, key = signer
    header = _b64url(json.dumps({"kid": kid, "alg": "none"}).encode())
    payload = _b64url(json.dumps(ACCESS_CLAIMS).encode())
    with pytest.raises(InvalidToken):
        verified_claims(f"{header}.{payload}.", key)
