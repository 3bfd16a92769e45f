"""Access-token authorization for the self-service calls (GetUser, ChangePassword, ...)."""

from __future__ import annotations

from dataclasses import dataclass

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


def authorize(svc: Services, tx: UnitOfWork, access_token: str) -> Caller:
    """The pool, user and client behind a valid, unrevoked access token."""
    invalid = errors.NotAuthorizedException("Invalid Access Token")
    try:
        claims = jwt.unverified_claims(access_token)
        pool_id = str(claims.get("iss", "")).rsplit("/", 1)[-1]
        key = svc.keys.verification_key(
            pool_id, str(jwt.unverified_header(access_token).get("kid"))
        )
        if key is None or key.token_use != "access":
            raise invalid
        claims = jwt.verified_claims(access_token, key.key)
    except jwt.InvalidToken as exc:
        raise invalid from exc
    if claims.get("token_use") != "access" or SCOPE not in str(claims.get("scope", "")).split():
        raise invalid
    if claims.get("iss") != svc.settings.issuer(pool_id):
        raise invalid
    if float(claims.get("exp", 0)) <= svc.clock.now():
        raise errors.NotAuthorizedException("Access Token has expired")
    grant = tx.grants.get(str(claims.get("origin_jti")))
    pool = tx.pools.get(pool_id)
    user = tx.users.by_sub(pool_id, str(claims.get("sub"))) if pool else None
    if grant is None or pool is None or user is None or grant.user_id != user.id:
        raise invalid
    if grant.revoked_at is not None or not user.enabled:
        raise errors.NotAuthorizedException("Access Token has been revoked")
    return Caller(pool, user, str(claims.get("client_id")))
