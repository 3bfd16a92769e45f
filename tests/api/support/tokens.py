"""The pool's JWKS, and the tokens verified against it (or read without verifying)."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
from joserfc import jwt
from joserfc.jwk import KeySet


def fetch_jwks(base_url: str, pool_id: str) -> dict[str, Any]:
    response = httpx.get(f"{base_url}/{pool_id}/.well-known/jwks.json", timeout=5.0)
    assert response.status_code == 200, response.text
    jwks: dict[str, Any] = response.json()
    return jwks


def verify_jwt(
    token: str, jwks: dict[str, Any], issuer: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Verify an RS256 token against the JWKS and issuer; returns (header, claims)."""
    keys = KeySet.import_key_set({"keys": jwks["keys"]})
    decoded = jwt.decode(token, keys, algorithms=["RS256"])
    jwt.JWTClaimsRegistry(iss={"essential": True, "value": issuer}).validate(decoded.claims)
    return dict(decoded.header), dict(decoded.claims)


def unverified_claims(token: str) -> dict[str, Any]:
    """The payload of a JWT without checking it (for comparing refreshed tokens)."""
    payload = token.split(".")[1]
    padded = payload + "=" * (-len(payload) % 4)
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(padded))
    return claims
