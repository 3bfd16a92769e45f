"""What Sign in with Apple needs beyond OIDC (reference §12.1, §12.2): the client secret,
a JWT Cognito signs with the provider's `private_key`, and the `user` field Apple posts
back (form_post) on the first authorization, the only place it gives the user's name."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import jwt

APPLE_SECRET_SECONDS = 300  # a fresh secret for each redemption; Apple allows up to 6 months


def apple_client_secret(details: Mapping[str, str], audience: str, now: float) -> str:
    """ES256 over {iss: team_id, sub: client_id, aud: the issuer, iat, exp}, `kid` the
    key_id, as Apple's token endpoint wants it. ValueError when private_key is no EC key."""
    claims = {
        "iss": details.get("team_id", ""),
        "sub": details.get("client_id", ""),
        "aud": audience,
        "iat": int(now),
        "exp": int(now) + APPLE_SECRET_SECONDS,
    }
    headers = {"kid": details.get("key_id", "")}
    try:
        return jwt.encode(claims, details.get("private_key", ""), "ES256", headers=headers)
    except (jwt.PyJWTError, TypeError, ValueError) as exc:
        raise ValueError(str(exc)) from None


def apple_user_claims(posted: str | None) -> dict[str, Any]:
    """The claims of Apple's `user` field ({"name": {"firstName", "lastName"}, "email"}):
    firstName, lastName and name ("first last"); the email is the ID token's. {} when
    absent or malformed."""
    if not posted:
        return {}
    try:
        user = json.loads(posted)
    except ValueError:
        return {}
    if not isinstance(user, dict):
        return {}
    claims: dict[str, Any] = {}
    name = user.get("name")
    if isinstance(name, dict):
        first, last = name.get("firstName"), name.get("lastName")
        if isinstance(first, str) and first:
            claims["firstName"] = first
        if isinstance(last, str) and last:
            claims["lastName"] = last
        full = " ".join(p for p in (first, last) if isinstance(p, str) and p)
        if full:
            claims["name"] = full
    return claims
