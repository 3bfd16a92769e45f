"""Sign in with Apple's pure parts (signin/social.py): the ES256 client secret and the
`user` field of its form_post."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from recognito.signin.social import APPLE_SECRET_SECONDS, apple_client_secret, apple_user_claims
from recognito.signin.upstream import Endpoints, Upstream, UpstreamError

ISSUER = "https://appleid.apple.com"


def test_the_client_secret_is_an_es256_jwt_apple_verifies_with_the_public_key() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    details = {
        "client_id": "com.example.web",
        "team_id": "TEAM",
        "key_id": "KEY",
        "private_key": pem,
    }
    secret = apple_client_secret(details, ISSUER, 1_800_000_000)
    assert jwt.get_unverified_header(secret) == {"alg": "ES256", "kid": "KEY", "typ": "JWT"}
    claims = jwt.decode(
        secret,
        key.public_key(),
        algorithms=["ES256"],
        audience=ISSUER,
        options={"verify_exp": False, "verify_iat": False},
    )
    assert claims == {
        "iss": "TEAM",
        "sub": "com.example.web",
        "aud": ISSUER,
        "iat": 1_800_000_000,
        "exp": 1_800_000_000 + APPLE_SECRET_SECONDS,
    }


@pytest.mark.parametrize("private_key", ["", "not a key", "-----BEGIN PRIVATE KEY-----\nx\n"])
def test_a_private_key_that_is_no_ec_key_is_a_value_error(private_key: str) -> None:
    with pytest.raises(ValueError):
        apple_client_secret({"private_key": private_key}, ISSUER, 0)


def test_the_posted_user_gives_first_last_and_full_name() -> None:
    posted = '{"name": {"firstName": "Ada", "lastName": "Lovelace"}, "email": "a@example.com"}'
    assert apple_user_claims(posted) == {
        "firstName": "Ada",
        "lastName": "Lovelace",
        "name": "Ada Lovelace",
    }
    assert apple_user_claims('{"name": {"firstName": "Ada"}}') == {
        "firstName": "Ada",
        "name": "Ada",
    }


@pytest.mark.parametrize("posted", [None, "", "not json", "[1]", '{"name": "Ada"}'])
def test_a_missing_or_malformed_user_gives_nothing(posted: str | None) -> None:
    assert apple_user_claims(posted) == {}


def test_an_hmac_id_token_is_refused_when_there_is_no_shared_secret() -> None:
    """Apple has no client_secret: an HS256 token keyed with "" must not pass."""
    upstream = Upstream("SignInWithApple", {"client_id": "web"}, 1.0, "SignInWithApple")
    endpoints = Endpoints(ISSUER, f"{ISSUER}/auth/authorize", f"{ISSUER}/auth/token", None, None)
    claims = {"iss": ISSUER, "aud": "web", "sub": "x", "iat": 1, "exp": 4_000_000_000, "nonce": "n"}
    forged = _hs256_with_an_empty_key(claims)
    with pytest.raises(UpstreamError, match="invalid id_token"):
        upstream.verify(endpoints, forged, "n")


def _hs256_with_an_empty_key(claims: dict[str, object]) -> str:
    def part(value: bytes) -> str:
        return base64.urlsafe_b64encode(value).rstrip(b"=").decode()

    signing_input = part(b'{"alg":"HS256","typ":"JWT"}') + "." + part(json.dumps(claims).encode())
    signature = hmac.new(b"", signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{part(signature)}"
