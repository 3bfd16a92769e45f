"""Signing and checking JWTs with joserfc: never hand-rolled JOSE."""

from __future__ import annotations

import json
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey
from joserfc.util import urlsafe_b64decode


class InvalidToken(Exception):
    """Not a JWT we could have issued: malformed, unknown key or bad signature."""


def sign(claims: dict[str, Any], kid: str, key: RSAKey) -> str:
    # Cognito's header is exactly {"kid", "alg"}: no "typ"
    return jwt.encode({"kid": kid, "alg": "RS256"}, claims, key, default_type=None)


def unverified_header(token: str) -> dict[str, Any]:
    try:
        header = json.loads(urlsafe_b64decode(token.split(".", 1)[0].encode()))
    except (ValueError, IndexError) as exc:
        raise InvalidToken("malformed header") from exc
    if not isinstance(header, dict):
        raise InvalidToken("malformed header")
    return header


def unverified_claims(token: str) -> dict[str, Any]:
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidToken("not a JWS")
    try:
        claims = json.loads(urlsafe_b64decode(parts[1].encode()))
    except ValueError as exc:
        raise InvalidToken("malformed claims") from exc
    if not isinstance(claims, dict):
        raise InvalidToken("malformed claims")
    return claims


def verified_claims(token: str, key: RSAKey) -> dict[str, Any]:
    """Claims of a token whose RS256 signature `key` verifies; expiry is the caller's."""
    try:
        claims = jwt.decode(token, key, algorithms=["RS256"]).claims
    except (JoseError, ValueError, TypeError) as exc:
        raise InvalidToken(str(exc)) from exc
    if not isinstance(claims, dict):  # signed, but not a JWT's claims object
        raise InvalidToken("the payload is not a JSON object")
    return dict(claims)
