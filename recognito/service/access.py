"""Access-token authorization for the self-service calls (GetUser, ChangePassword, ...)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from recognito import errors
from recognito.crypto import jwt
from recognito.domain.records import Pool, User
from recognito.domain.tokens import SCOPE
from recognito.service.context import Services
from recognito.store.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Caller:
    """Who an access token speaks for."""

    pool: Pool
    user: User
    client_id: str
    origin_jti: str = ""  # the sign-in (token session) the token descends from


def authorize(svc: Services, tx: UnitOfWork, access_token: str | None) -> Caller:
    """The pool, user and client behind a valid, unrevoked access token. None (a call
    the model lets leave the token out, as GetDevice) is refused as a token that is none."""
    invalid = errors.NotAuthorizedException("Invalid Access Token")
    pool_id, claims = verified_access_claims(svc, access_token or "")
    if pool_id is None:
        raise invalid
    if SCOPE not in str(claims.get("scope", "")).split():
        # an OAuth token granted without aws.cognito.signin.user.admin
        raise errors.NotAuthorizedException("Access Token does not have required scopes")
    if expired(svc, pool_id, claims):
        raise errors.NotAuthorizedException("Access Token has expired")
    found = live_grant_user(tx, pool_id, claims)
    if found is None:
        raise invalid
    pool, user, revoked = found
    if revoked:
        raise errors.NotAuthorizedException("Access Token has been revoked")
    return Caller(pool, user, str(claims.get("client_id")), str(claims.get("origin_jti")))


def expired(svc: Services, pool_id: str, claims: dict[str, Any]) -> bool:
    """Whether an access token has expired: by its `exp`, or, on a test server, because
    the test API expired its user's tokens."""
    if float(claims.get("exp", 0)) <= svc.clock.now():
        return True
    controls = svc.controls
    return controls is not None and controls.expired(
        pool_id, str(claims.get("sub")), float(claims.get("iat", 0)), str(claims.get("jti"))
    )


def verified_access_claims(svc: Services, access_token: str) -> tuple[str | None, dict[str, Any]]:
    """The pool and claims of an access token this instance signed (expiry unchecked);
    (None, {}) for anything else."""
    try:
        claims = jwt.unverified_claims(access_token)
        pool_id = str(claims.get("iss", "")).rsplit("/", 1)[-1]
        key = svc.keys.verification_key(
            pool_id, str(jwt.unverified_header(access_token).get("kid"))
        )
        if key is None or key.token_use != "access":
            return None, {}
        claims = jwt.verified_claims(access_token, key.key)
    except jwt.InvalidToken:
        return None, {}
    if claims.get("token_use") != "access" or claims.get("iss") != svc.settings.issuer(pool_id):
        return None, {}
    return pool_id, claims


def live_grant_user(
    tx: UnitOfWork, pool_id: str, claims: dict[str, Any]
) -> tuple[Pool, User, bool] | None:
    """The pool and user of a user's access token, and whether it was revoked (its grant,
    by sign-out or revocation, or its user disabled); None when either is gone."""
    grant = tx.grants.get(str(claims.get("origin_jti")))
    pool = tx.pools.get(pool_id)
    user = tx.users.by_sub(pool_id, str(claims.get("sub"))) if pool else None
    if grant is None or pool is None or user is None or grant.user_id != user.id:
        return None
    return pool, user, grant.revoked_at is not None or not user.enabled
