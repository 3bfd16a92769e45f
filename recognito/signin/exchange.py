"""Token exchange (RFC 8693): GetDerivedToken and the token endpoint's token-exchange
grant share this. A pool's own ID or access token (the subject, and an optional actor)
becomes a new token bound to one audience, signed with the pool's keys.

The rules and messages are in recognito/domain/token_exchange.py; here the tokens are
verified (signature, issuer, expiry, the grant behind them still live)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from recognito import errors
from recognito.crypto import jwt
from recognito.domain import clients, tokens
from recognito.domain import token_exchange as rules
from recognito.domain.records import Client, Pool
from recognito.service import access
from recognito.service.context import Services
from recognito.signin import issuing

_USES = {"ACCESS_TOKEN": "access", "ID_TOKEN": "id"}


class Refused(Exception):
    """A refused exchange: the API's error, and the token endpoint's `error` for it."""

    def __init__(self, error: errors.CognitoError, oauth_error: str) -> None:
        super().__init__(error.message)
        self.error = error
        self.oauth_error = oauth_error


@dataclass(frozen=True)
class Exchange:
    """One exchange request, in the API's names."""

    subject_token: str
    subject_type: str  # ACCESS_TOKEN | ID_TOKEN | SAML2
    actor_token: str | None = None
    actor_type: str | None = None
    audiences: tuple[str, ...] | None = None
    resources: tuple[str, ...] | None = None
    scopes: tuple[str, ...] | None = None
    requested_type: str = "ACCESS_TOKEN"
    # a third-party IdP's token (SubjectTokenProviderName / ActorTokenProviderName)
    external: bool = False


@dataclass(frozen=True)
class Exchanged:
    token: str
    token_type: str  # ACCESS_TOKEN | ID_TOKEN
    expires_in: int
    scopes: tuple[str, ...]


def exchange(svc: Services, pool: Pool, client: Client, request: Exchange) -> Exchanged:
    """The derived token, or Refused."""
    with_actor = request.actor_token is not None
    flow = rules.needed_flow(with_actor)
    if flow not in clients.allowed_flows(client.config):
        raise Refused(rules.flow_not_enabled(client.id, flow), "unauthorized_client")
    if with_actor and request.actor_type is None:
        error = errors.InvalidParameterException("ActorTokenType is required with an ActorToken.")
        raise Refused(error, "invalid_request")
    if request.external or request.subject_type not in _USES:
        raise Refused(rules.unsupported_token("subject"), "invalid_request")
    if with_actor and request.actor_type not in _USES:
        raise Refused(rules.unsupported_token("actor"), "invalid_request")
    if request.requested_type == "ID_TOKEN" and request.subject_type != "ID_TOKEN":
        error = errors.InvalidParameterException(
            "An ID token can be derived only from an ID token (SubjectTokenType ID_TOKEN)."
        )
        raise Refused(error, "invalid_request")
    try:
        audience = rules.target(request.audiences, request.resources)
    except errors.InvalidParameterException as exc:
        raise Refused(exc, "invalid_target") from None
    with svc.store.read() as tx:
        if tx.resource_servers.get(pool.id, audience) is None:
            raise Refused(rules.audience_not_allowed(audience, pool.id), "invalid_target")
    subject = _verified(svc, pool, request.subject_token, _USES[request.subject_type], "subject")
    if "origin_jti" not in subject:  # a machine's token speaks for no user
        raise Refused(rules.invalid_token("subject"), "invalid_grant")
    actor = None
    if request.actor_token is not None and request.actor_type is not None:
        actor = _verified(svc, pool, request.actor_token, _USES[request.actor_type], "actor")
    subject_scopes = (
        str(subject.get("scope", "")).split() if request.subject_type == "ACCESS_TOKEN" else None
    )
    allowed = client.config.get("AllowedOAuthScopes") or []
    try:
        scopes = rules.granted_scopes(request.scopes, subject_scopes, allowed, audience)
    except errors.InvalidParameterException as exc:
        raise Refused(exc, "invalid_scope") from None
    use = _USES[request.requested_type]
    now = int(svc.clock.now())
    claims = rules.derived_claims(
        subject,
        token_use=use,
        client_id=client.id,
        audience=audience,
        scopes=scopes,
        actor=actor,
        jti=str(uuid.uuid4()),
        now=now,
        ttl=tokens.lifetime(client.config, use),
    )
    token = issuing.sign(svc, pool.id, use, claims)
    return Exchanged(token, request.requested_type, int(claims["exp"]) - now, scopes)


def _verified(svc: Services, pool: Pool, token: str, use: str, which: str) -> dict[str, Any]:
    """The claims of a live token of this pool for `use`: signed by the pool's key for
    that use, its issuer, unexpired, and (a user's) its grant neither revoked nor its user
    disabled."""
    invalid = Refused(rules.invalid_token(which), "invalid_grant")
    try:
        header = jwt.unverified_header(token)
        key = svc.keys.verification_key(pool.id, str(header.get("kid")))
        if key is None or key.token_use != use:
            raise invalid
        claims = jwt.verified_claims(token, key.key)
    except jwt.InvalidToken:
        raise invalid from None
    if claims.get("token_use") != use or claims.get("iss") != svc.settings.issuer(pool.id):
        raise invalid
    if float(claims.get("exp", 0)) <= svc.clock.now():
        expired = errors.NotAuthorizedException(f"The {which} token has expired.")
        raise Refused(expired, "invalid_grant")
    if "origin_jti" in claims:
        with svc.store.read() as tx:
            found = access.live_grant_user(tx, pool.id, claims)
        if found is None or found[2]:
            revoked = errors.NotAuthorizedException(f"The {which} token has been revoked.")
            raise Refused(revoked, "invalid_grant")
    return claims
