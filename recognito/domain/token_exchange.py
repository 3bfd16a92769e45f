"""Token exchange (RFC 8693) as GetDerivedToken and the token endpoint's token-exchange
grant model it: which client flow it needs, what the new token may be for, which scopes
it keeps, and its claims (docs/behaviour.md "Token exchange")."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from recognito import errors
from recognito.domain.oauth_scopes import ADMIN, is_custom

IMPERSONATION = "ALLOW_TOKEN_EXCHANGE_IMPERSONATION"
DELEGATION = "ALLOW_TOKEN_EXCHANGE_DELEGATION"
# the token endpoint's names (RFC 8693 §3) of the token types the API names
GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange"
TOKEN_TYPE_URNS = {
    "ACCESS_TOKEN": "urn:ietf:params:oauth:token-type:access_token",
    "ID_TOKEN": "urn:ietf:params:oauth:token-type:id_token",
    "SAML2": "urn:ietf:params:oauth:token-type:saml2",
}
# claims of the subject token a derived token never copies: made anew, or bound to the
# subject's own issuance (at_hash names its access token, nonce its sign-in request)
_FRESH = {
    "aud", "exp", "iat", "jti", "client_id", "token_use", "scope", "act", "event_id",
    "at_hash", "nonce",
}  # fmt: skip


def needed_flow(with_actor: bool) -> str:
    """An actor token makes it delegation (the `act` claim names the actor); without one
    the caller impersonates the user."""
    return DELEGATION if with_actor else IMPERSONATION


def flow_not_enabled(client_id: str, flow: str) -> errors.NotAuthorizedException:
    return errors.NotAuthorizedException(
        f"Token exchange is not enabled for client {client_id}: its ExplicitAuthFlows lack {flow}."
    )


def invalid_token(which: str) -> errors.NotAuthorizedException:
    return errors.NotAuthorizedException(f"Invalid {which} token.")


def unsupported_token(which: str) -> errors.InvalidParameterException:
    return errors.InvalidParameterException(
        f"Only Amazon Cognito ID and access tokens of this user pool are accepted as "
        f"{which} tokens."
    )


def target(audiences: Sequence[str] | None, resources: Sequence[str] | None) -> str:
    """The one audience the token is bound to, from Audiences or Resources (never both)."""
    if audiences and resources:
        raise errors.InvalidParameterException(
            "You can't request both Audiences and Resources in the same request."
        )
    named = list(audiences or resources or [])
    if len(named) != 1:
        raise errors.InvalidParameterException(
            "A derived token is bound to exactly one audience: give one value in Audiences "
            "or in Resources."
        )
    return named[0]


def audience_not_allowed(audience: str, pool_id: str) -> errors.InvalidParameterException:
    return errors.InvalidParameterException(
        f"Audience {audience} is not allowed: it is not the identifier of a resource server "
        f"of user pool {pool_id}."
    )


def granted_scopes(
    requested: Collection[str] | None,
    subject: Collection[str] | None,
    allowed: Collection[str],
    audience: str,
) -> tuple[str, ...]:
    """The intersection of the requested scopes (all, when none are), the subject token's
    (an ID token has none: then the client's) and the client's allowed ones, less what
    the derived token must not carry: Cognito's own API scope and other audiences'
    custom scopes."""
    pool = set(allowed) if subject is None else set(subject) & set(allowed)
    wanted = pool if not requested else pool & set(requested)
    kept = {s for s in wanted if s != ADMIN and (not is_custom(s) or s.startswith(f"{audience}/"))}
    if requested and not kept:
        raise errors.InvalidParameterException(
            "None of the requested scopes can be granted: a derived token keeps only scopes "
            "of the subject token that the client is allowed, for its audience."
        )
    return tuple(sorted(kept))


def actor_claim(actor: dict[str, Any]) -> dict[str, Any]:
    """RFC 8693 §4.1: who acts; an actor that acted for someone else keeps its own `act`."""
    claim: dict[str, Any] = {"sub": actor.get("sub")}
    if "client_id" in actor:
        claim["client_id"] = actor["client_id"]
    if isinstance(actor.get("act"), dict):
        claim["act"] = actor["act"]
    return claim


def derived_claims(
    subject: dict[str, Any],
    *,
    token_use: str,
    client_id: str,
    audience: str,
    scopes: Sequence[str],
    actor: dict[str, Any] | None,
    jti: str,
    now: int,
    ttl: int,
) -> dict[str, Any]:
    """The derived token's claims: the subject's identity (sub, username, groups,
    attributes, origin_jti, so signing out revokes it too), bound to `audience`, issued to
    the requesting client, never outliving the subject token."""
    claims = {k: v for k, v in subject.items() if k not in _FRESH}
    if token_use == "access":
        for name in list(claims):  # an access token names no attributes
            if name not in {"sub", "iss", "origin_jti", "auth_time", "cognito:groups"}:
                del claims[name]
        claims["username"] = subject.get("username") or subject.get("cognito:username")
        claims.update({"client_id": client_id, "scope": " ".join(scopes), "version": 2})
    claims.update(
        {
            "aud": audience,
            "token_use": token_use,
            "iat": now,
            "exp": min(now + ttl, int(subject.get("exp", now + ttl))),
            "jti": jti,
        }
    )
    if actor is not None:
        claims["act"] = actor_claim(actor)
    return claims
