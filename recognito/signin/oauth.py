"""The OAuth 2.0 token plane (reference §6–§8, §11): authorization codes, and the tokens
the code, refresh_token and client_credentials grants and the implicit flow issue.

Transport-free: the web layer (recognito/web/oauth.py) parses requests and authenticates
the client; every refusal here is an `OAuthError` carrying the `error` it answers."""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol

from recognito import errors
from recognito.crypto import jwt
from recognito.crypto.secrets import digest, same
from recognito.domain import clients, oauth_scopes, pools, tokens
from recognito.domain.attributes import developer_only
from recognito.domain.cimd import is_metadata_url
from recognito.domain.records import AuthorizationCode, Client, Pool, User
from recognito.service import access, cimd, pretoken, user_sessions
from recognito.service.context import Services
from recognito.signin import issuing
from recognito.store.unit_of_work import UnitOfWork

CODE_SECONDS = 300  # an authorization code lives 5 minutes (reference §6.2)


class OAuthError(Exception):
    """A refusal at an OAuth endpoint: `error` (RFC 6749 §5.2), an optional
    `error_description`, and the HTTP status (400 unless the reference says otherwise)."""

    def __init__(self, error: str, description: str | None = None, status: int = 400) -> None:
        super().__init__(error)
        self.error = error
        self.description = description
        self.status = status


@dataclass(frozen=True)
class CodeGrant:
    """What a signed-in browser was granted at /oauth2/authorize."""

    pool_id: str
    client_id: str
    username: str  # the user's username (not an alias)
    redirect_uri: str
    scopes: tuple[str, ...]  # already resolved and allowed
    nonce: str | None
    code_challenge: str | None  # S256 only
    auth_time: int  # epoch seconds of the interactive sign-in
    resource: str | None = None
    sso_session_id: str | None = None  # the browser session the sign-in comes from


def issue_code(services: Services, grant: CodeGrant) -> str:
    """A new authorization code for `grant`: a lower-case UUID, stored only as its keyed
    digest, redeemable once within 5 minutes by the same client and redirect URI."""
    code = str(uuid.uuid4())
    with services.store.write() as tx:
        user = _grant_user(tx, tx.pools.get(grant.pool_id), grant)
        tx.authorization_codes.insert(
            digest(services.secret_key, code),
            AuthorizationCode(
                pool_id=grant.pool_id,
                client_id=grant.client_id,
                user_id=user.id,
                redirect_uri=grant.redirect_uri,
                scopes=grant.scopes,
                nonce=grant.nonce,
                code_challenge=grant.code_challenge,
                auth_time=grant.auth_time,
                resource=grant.resource,
                expires_at=services.clock.now() + CODE_SECONDS,
                sso_session_id=grant.sso_session_id,
            ),
        )
        _used_sso(services, tx, grant.sso_session_id)
    return code


def implicit_tokens(services: Services, grant: CodeGrant) -> dict[str, str | int]:
    """The fragment fields of an implicit answer: access_token, id_token (with `openid`
    only), token_type and expires_in. No refresh token; the grant behind the tokens
    exists so that GlobalSignOut and a disabled user revoke them."""
    with services.store.read() as tx:
        pool, client, user = _grant_parties(tx, grant)
    custom = pretoken.customize(
        services, pool, client.id, user, pretoken.HOSTED_AUTH, None, grant.scopes
    )
    with services.store.write() as tx:
        pool, client, user = _grant_parties(tx, grant)
        _used_sso(services, tx, grant.sso_session_id)
        return _mint(services, tx, pool, client, user, custom, grant, refresh=False)


def _used_sso(services: Services, tx: UnitOfWork, sso_session_id: str | None) -> None:
    """A browser's SSO session gave a sign-in: its last activity, device and address."""
    if sso_session_id is not None:
        device, ip = user_sessions.where_from(services)
        tx.browser_sessions.touch(sso_session_id, services.clock.now(), device, ip)


def _grant_user(tx: UnitOfWork, pool: Pool | None, grant: CodeGrant) -> User:
    user = (
        tx.users.by_username(pool.id, pools.username_key(pool.config, grant.username))
        if pool is not None
        else None
    )
    if user is None:
        raise OAuthError("invalid_request")  # the pages hand over only users they found
    return user


def _grant_parties(tx: UnitOfWork, grant: CodeGrant) -> tuple[Pool, Client, User]:
    pool = tx.pools.get(grant.pool_id)
    user = _grant_user(tx, pool, grant)
    client = tx.clients.get(grant.client_id)
    if pool is None or client is None or client.pool_id != pool.id:
        raise OAuthError("invalid_client")
    return pool, client, user


# ---- grant_type=authorization_code ----------------------------------------------------


def redeem_code(
    svc: Services,
    pool: Pool,
    client: Client,
    code: str,
    redirect_uri: str | None,
    code_verifier: str | None,
) -> dict[str, str | int]:
    """The tokens for an authorization code (reference §6.2). A refused redemption does
    not spend the code; a successful one spends it in one conditional write, so of
    concurrent redemptions one wins and the others get invalid_grant."""
    key = digest(svc.secret_key, code)
    with svc.store.read() as tx:
        record, user = _redeemable(svc, tx, client, key, redirect_uri, code_verifier)
    custom = pretoken.customize(
        svc, pool, client.id, user, pretoken.HOSTED_AUTH, None, record.scopes
    )
    with svc.store.write() as tx:
        record, user = _redeemable(svc, tx, client, key, redirect_uri, code_verifier)
        if not tx.authorization_codes.spend(key, svc.clock.now()):
            raise OAuthError("invalid_grant")
        return _mint(svc, tx, pool, client, user, custom, record, refresh=True)


class _Granted(Protocol):
    """What a browser was granted: a CodeGrant (implicit) or a stored code."""

    @property
    def auth_time(self) -> int: ...
    @property
    def scopes(self) -> tuple[str, ...]: ...
    @property
    def resource(self) -> str | None: ...
    @property
    def nonce(self) -> str | None: ...
    @property
    def sso_session_id(self) -> str | None: ...


def _mint(
    svc: Services,
    tx: UnitOfWork,
    pool: Pool,
    client: Client,
    user: User,
    custom: tokens.Customization | None,
    granted: _Granted,
    *,
    refresh: bool,
) -> dict[str, str | int]:
    """The grant behind OAuth tokens and the tokens, in the caller's transaction; the
    refresh token only when the answer hands one out (never for implicit)."""
    made, refresh_token = issuing.new_grant(
        svc,
        tx,
        client,
        user,
        auth_time=granted.auth_time,
        scopes=granted.scopes,
        resource=granted.resource,
        sso_session_id=granted.sso_session_id,
    )
    result = issuing.issue_tokens(
        svc,
        tx,
        pool,
        client,
        user,
        made,
        custom,
        refresh_token=refresh_token if refresh else None,
        nonce=granted.nonce,
    )
    return _wire(dict(result))


def _redeemable(
    svc: Services,
    tx: UnitOfWork,
    client: Client,
    key: str,
    redirect_uri: str | None,
    code_verifier: str | None,
) -> tuple[AuthorizationCode, User]:
    record = tx.authorization_codes.get(key)
    if (
        record is None
        or record.client_id != client.id
        or record.used_at is not None
        or svc.clock.now() > record.expires_at
    ):
        raise OAuthError("invalid_grant")
    if redirect_uri != record.redirect_uri:
        raise OAuthError("unauthorized_client", "invalid_redirect")
    # a verifier sent for a code issued without a challenge is ignored
    if record.code_challenge is not None and not (
        code_verifier and same(s256(code_verifier), record.code_challenge)
    ):
        raise OAuthError("invalid_grant")
    user = tx.users.by_id(record.user_id)
    if user is None or not user.enabled or not _reads_scope_attributes(client, record.scopes):
        raise OAuthError("invalid_grant")
    return record, user


def _reads_scope_attributes(client: Client, scopes: Collection[str]) -> bool:
    """Whether the client may read every attribute its `email`/`phone` scopes show: one
    that reads email but not email_verified cannot redeem an `email` code (§6.2)."""
    readable = clients.readable(client.config)
    shown = oauth_scopes.shown_attributes(scopes)
    return readable is None or shown is None or shown <= readable


def s256(verifier: str) -> str:
    """PKCE's S256 code challenge of `verifier` (RFC 7636 §4.2)."""
    hashed = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(hashed).decode().rstrip("=")


# ---- grant_type=refresh_token ---------------------------------------------------------


def refresh(svc: Services, pool: Pool, client: Client, refresh_token: str) -> dict[str, str | int]:
    """New tokens for a refresh token (reference §6.3) through the same machinery as
    REFRESH_TOKEN_AUTH: an OAuth grant keeps its scopes, resource and auth_time, and a
    refresh token from either side works on the other."""
    try:
        result = issuing.refreshed_tokens(svc, pool, client, refresh_token, _no_proof, None)
    except (
        errors.NotAuthorizedException,
        errors.UserNotFoundException,
        errors.RefreshTokenReuseException,
    ) as exc:
        raise OAuthError("invalid_grant") from exc
    return _wire(dict(result))


def _no_proof(user: User) -> None:
    """The token endpoint authenticated the client already."""


# ---- grant_type=client_credentials ----------------------------------------------------


def client_credentials(
    svc: Services,
    pool: Pool,
    client: Client,
    scope: str | None,
    client_metadata: Mapping[str, str] | None,
) -> dict[str, str | int]:
    """A machine's access token (reference §6.4, §11.3): custom scopes only; none
    requested means all the client's (active) custom scopes."""
    allowed = [
        s for s in client.config.get("AllowedOAuthScopes") or [] if oauth_scopes.is_custom(s)
    ]
    with svc.store.read() as tx:
        active = active_custom_scopes(tx, pool.id, allowed)
    try:
        scopes = oauth_scopes.resolve_scopes(scope, allowed, active)
    except oauth_scopes.ScopeError as exc:
        raise OAuthError("invalid_scope") from exc
    if not scopes:
        raise OAuthError("invalid_scope")
    custom = pretoken.customize_machine(svc, pool, client.id, scopes, client_metadata)
    now = int(svc.clock.now())
    ttl = tokens.lifetime(client.config, "access")
    claims = tokens.client_credentials_claims(
        svc.settings.issuer(pool.id), client.id, scopes, jti=str(uuid.uuid4()), now=now, ttl=ttl
    )
    if custom is not None:
        replace(custom, groups=None).apply({}, claims)
    return {
        "access_token": issuing.sign(svc, pool.id, "access", claims),
        "expires_in": ttl,
        "token_type": "Bearer",
    }


def active_custom_scopes(tx: UnitOfWork, pool_id: str, scopes: Collection[str]) -> set[str]:
    """Which of these custom scopes a resource server of the pool still defines (a
    deleted scope or server leaves its scopes on clients, inactive: reference §3.1)."""
    if not any(oauth_scopes.is_custom(s) for s in scopes):
        return set()
    defined = {
        f"{server.identifier}/{scope['ScopeName']}"
        for server in tx.resource_servers.page(pool_id, None, None)
        for scope in server.scopes
    }
    return {s for s in scopes if s in defined}


def _wire(result: dict[str, Any]) -> dict[str, str | int]:
    """An AuthenticationResult in the token endpoint's names, in its order."""
    names = {
        "IdToken": "id_token",
        "AccessToken": "access_token",
        "RefreshToken": "refresh_token",
        "ExpiresIn": "expires_in",
        "TokenType": "token_type",
    }
    return {wire: result[api] for api, wire in names.items() if api in result}


# ---- /oauth2/userInfo and /oauth2/revoke ----------------------------------------------

USERINFO_BAD_REQUEST = "Bad OAuth2 request at UserInfo Endpoint"
USERINFO_REFUSED = (
    "Access token is expired, disabled, or deleted, or the user has globally signed out."
)
NO_OPENID = "Access token does not contain openid scope"


def user_info(svc: Services, pool_id: str, access_token: str) -> dict[str, str]:
    """The claims userInfo answers for an access token of this pool granted `openid`
    (reference §7): the attributes its scopes and the client's ReadAttributes allow,
    verification flags as strings, and the username."""
    refused = OAuthError("invalid_token", USERINFO_REFUSED, 401)
    issuer_pool, claims = access.verified_access_claims(svc, access_token)
    if issuer_pool != pool_id or access.expired(svc, pool_id, claims):
        raise refused
    scopes = str(claims.get("scope", "")).split()
    if oauth_scopes.OPENID not in scopes:
        raise OAuthError("invalid_token", NO_OPENID, 401)
    with svc.store.read() as tx:
        found = access.live_grant_user(tx, pool_id, claims)
        client = tx.clients.get(str(claims.get("client_id")))
    if client is None and is_metadata_url(str(claims.get("client_id"))):
        client = cimd.cached_client(svc, pool_id, str(claims["client_id"]))
    if found is None or found[2] or client is None:
        raise refused
    user = found[1]
    readable = clients.readable(client.config)
    shown = oauth_scopes.shown_attributes(scopes)
    answer = {"sub": user.sub}
    for name, value in user.attributes.items():
        if name == "sub" or developer_only(name):
            continue
        if (readable is None or name in readable) and (shown is None or name in shown):
            answer[name] = value
    answer["username"] = user.username
    return answer


def revoke(svc: Services, client: Client, token: str) -> None:
    """Revoke a refresh token and everything minted from it (reference §8). An unknown
    token, or another client's, is answered as revoked and left alone (RFC 7009 §2.2)."""
    if not client.config.get("EnableTokenRevocation", True):
        raise OAuthError("invalid_request")
    if _is_jwt(token):  # an access or ID token: only refresh tokens are revoked here
        raise OAuthError("unsupported_token_type")
    with svc.store.write() as tx:
        issuing.revoke_refresh(svc, tx, client, token)


def _is_jwt(token: str) -> bool:
    try:
        return jwt.unverified_claims(token).get("token_use") in ("access", "id")
    except jwt.InvalidToken:
        return False
