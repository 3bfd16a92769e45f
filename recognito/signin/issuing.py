"""Issuing tokens and challenge sessions: the two things a successful step of sign-in yields."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeAlias

from recognito import errors
from recognito.crypto import jwt
from recognito.crypto.secrets import digest, opaque_token
from recognito.domain import clients, oauth_scopes, sessions, tokens
from recognito.domain.codes import MAX_FAILED_ATTEMPTS
from recognito.domain.records import AuthSession, Client, Grant, Pool, User
from recognito.domain.user_status import check_enabled
from recognito.service import hooks, pretoken, user_sessions
from recognito.service.context import Services
from recognito.service.identities import shown_attributes
from recognito.shapes import AuthenticationResultType, InitiateAuthResponse
from recognito.store.unit_of_work import UnitOfWork

INVALID_REFRESH_TOKEN = "Invalid Refresh Token"
INVALID_SESSION = "Invalid session for the user."
SESSION_USED = "Invalid session for the user, session can only be used once."
SESSION_EXPIRED = "Invalid session for the user, session is expired."

# What each step of a sign-in answers. InitiateAuth's response is the widest of the four
# sign-in responses (AdminInitiateAuth's names the same members; Respond- and
# AdminRespondToAuthChallenge's all but AvailableChallenges), so it is each one's answer.
Answer: TypeAlias = InitiateAuthResponse


def tokens_deferred(svc: Services, pool: Pool) -> bool:
    """Whether the tokens wait for a function (PostAuthentication, PreTokenGeneration):
    then the sign-in's transaction commits without them, and `deferred_tokens` follows,
    running them with no transaction open."""
    return any(
        svc.triggers.arn(pool, trigger) is not None
        for trigger in ("PostAuthentication", "PreTokenGeneration")
    )


def deferred_tokens(
    svc: Services,
    pool: Pool,
    client: Client,
    user: User,
    client_metadata: dict[str, str] | None,
    initiating: bool,
    source: str,
) -> Answer:
    """PostAuthentication, then PreTokenGeneration `source` (both outside any
    transaction), then the tokens; an error of either leaves none. InitiateAuth's
    ClientMetadata never reaches them; RespondToAuthChallenge's does."""
    hooks.post_authentication(svc, pool, user, client_metadata, initiating, client.id)
    custom = pretoken.customize(
        svc, pool, client.id, user, source, None if initiating else client_metadata
    )
    with svc.store.write() as tx:
        return {
            "ChallengeParameters": {},
            "AuthenticationResult": issue_tokens(svc, tx, pool, client, user, custom=custom),
        }


def hosted_sign_in(
    svc: Services,
    pool: Pool,
    client: Client,
    user: User,
    client_metadata: dict[str, str] | None,
    initiating: bool,
) -> Answer:
    """The end of a sign-in on the hosted pages: PostAuthentication runs (no transaction
    open) and the answer names the user, without tokens: /oauth2/token issues those for
    the authorization code, running PreTokenGeneration there."""
    hooks.post_authentication(svc, pool, user, client_metadata, initiating, client.id)
    return {"ChallengeParameters": {"USERNAME": user.username}}


def refreshed_tokens(
    svc: Services,
    pool: Pool,
    client: Client,
    refresh_token: str,
    prove: Callable[[User], None],
    client_metadata: dict[str, str] | None,
) -> AuthenticationResultType:
    """New ID and access tokens for a refresh token, after `prove` (the client secret)
    passed for its user. PreTokenGeneration (TokenGeneration_RefreshTokens) runs between
    a read that finds the grant and the transaction that judges it again and issues."""
    custom = None
    if svc.triggers.arn(pool, "PreTokenGeneration") is not None:
        with svc.store.read() as tx:
            grant, user = refresh_grant(svc, tx, client, refresh_token)
            prove(user)
        custom = pretoken.customize(
            svc, pool, client.id, user, pretoken.REFRESH_TOKENS, client_metadata, grant.scopes
        )
    with svc.store.write() as tx:
        grant, user = refresh_grant(svc, tx, client, refresh_token, lock=True)
        prove(user)
        now = svc.clock.now()
        tx.grants.touch(grant.origin_jti, now, *user_sessions.where_from(svc))
        rotated = None
        rotation = sessions.rotation(client.config)
        if rotation.enabled:
            # a new refresh token; the current one (whichever was presented) stays good
            # for the grace period, for a client's retry; the session's end is unchanged
            rotated = opaque_token(96)
            current = tx.grants.current_digest(grant.origin_jti)
            assert current is not None  # the grant is held locked
            tx.grants.rotate(
                grant.origin_jti,
                current,
                digest(svc.secret_key, rotated),
                now + rotation.grace,
            )
        return issue_tokens(
            svc, tx, pool, client, user, grant=grant, custom=custom, refresh_token=rotated
        )


def new_grant(
    svc: Services,
    tx: UnitOfWork,
    client: Client,
    user: User,
    *,
    auth_time: int,
    scopes: tuple[str, ...] | None = None,
    resource: str | None = None,
    sso_session_id: str | None = None,
) -> tuple[Grant, str]:
    """A new authentication's grant (a token session) and its refresh token (stored as
    a digest only); `scopes`: an OAuth grant's (None: an API sign-in). The user's
    least recently used sessions beyond the pool's limit end first."""
    now = svc.clock.now()
    user_sessions.make_room(tx, client.pool_id, user.id, now)
    device, ip = user_sessions.where_from(svc)
    refresh_token = opaque_token(96)
    grant = Grant(
        origin_jti=str(uuid.uuid4()),
        pool_id=client.pool_id,
        client_id=client.id,
        user_id=user.id,
        auth_time=auth_time,
        expires_at=int(now) + tokens.lifetime(client.config, "refresh"),
        revoked_at=None,
        scopes=scopes,
        resource=resource,
        session_id=sessions.new_session_id(),
        created_at=now,
        last_active_at=now,
        device=device,
        last_ip=ip,
        sso_session_id=sso_session_id,
    )
    tx.grants.insert(grant, digest(svc.secret_key, refresh_token))
    return grant, refresh_token


def issue_tokens(
    svc: Services,
    tx: UnitOfWork,
    pool: Pool,
    client: Client,
    user: User,
    grant: Grant | None = None,
    custom: tokens.Customization | None = None,
    *,
    refresh_token: str | None = None,
    nonce: str | None = None,
) -> AuthenticationResultType:
    """An AuthenticationResult; a new grant (and refresh token) unless `grant` is given
    (refreshing it, or an OAuth grant just made: `refresh_token`, when the answer hands
    it out); `custom`: what PreTokenGeneration changed in the claims.

    An OAuth grant's tokens carry its scopes; its ID token (only with `openid`) shows
    the attributes those scopes allow, at_hash and the authorize request's `nonce`."""
    now = int(svc.clock.now())
    if grant is None:
        grant, refresh_token = new_grant(svc, tx, client, user, auth_time=now)
    issuance = tokens.Issuance(
        issuer=svc.settings.issuer(pool.id),
        client_id=client.id,
        origin_jti=grant.origin_jti,
        event_id=str(uuid.uuid4()),
        auth_time=grant.auth_time,
        now=now,
        groups=tuple(tx.groups.of_user(user)),
        scopes=grant.scopes,
        resource=grant.resource,
    )
    # a linked native user's ID token names the identities it is linked to
    user = replace(user, attributes=shown_attributes(tx, user))
    access_ttl = tokens.lifetime(client.config, "access")
    access = tokens.access_claims(user, issuance, jti=str(uuid.uuid4()), ttl=access_ttl)
    if svc.controls is not None:  # a test server: tokens issued after an expiry live
        svc.controls.issued(pool.id, user.sub, str(access["jti"]))
    readable = clients.readable(client.config)
    shown = None if grant.scopes is None else oauth_scopes.shown_attributes(grant.scopes)
    if shown is not None:
        readable = set(shown) if readable is None else readable & shown
    identity = tokens.id_claims(
        user,
        issuance,
        jti=str(uuid.uuid4()),
        ttl=tokens.lifetime(client.config, "id"),
        readable=readable,
    )
    if custom is not None:
        custom.apply(identity, access)
    access_token = sign(svc, pool.id, "access", access)
    result: AuthenticationResultType = {
        "AccessToken": access_token,
        "ExpiresIn": access_ttl,
        "TokenType": "Bearer",
    }
    if grant.scopes is None or oauth_scopes.OPENID in grant.scopes:
        if grant.scopes is not None:
            identity["at_hash"] = tokens.at_hash(access_token)
            if nonce is not None:
                identity["nonce"] = nonce
        result["IdToken"] = sign(svc, pool.id, "id", identity)
    if refresh_token is not None:
        result["RefreshToken"] = refresh_token
    return result


def sign(svc: Services, pool_id: str, token_use: str, claims: dict[str, Any]) -> str:
    key = svc.keys.signing_key(pool_id, token_use, svc.clock.now())
    return jwt.sign(claims, key.kid, key.key)


def refresh_grant(
    svc: Services, tx: UnitOfWork, client: Client, refresh_token: str, *, lock: bool = False
) -> tuple[Grant, User]:
    """The live grant behind a refresh token presented by `client`, and its user: the
    grant's current refresh token, or one rotated out of it less than the client's
    grace period ago. `lock` holds the grant's row for the transaction that rotates it."""
    grant, reused = _grant_of_token(svc, tx, refresh_token, lock=lock)
    if grant is None or grant.client_id != client.id:
        raise errors.NotAuthorizedException(INVALID_REFRESH_TOKEN)
    if grant.revoked_at is not None:
        raise errors.NotAuthorizedException("Refresh Token has been revoked")
    if svc.clock.now() > grant.expires_at:
        raise errors.NotAuthorizedException("Refresh Token has expired")
    if reused:
        raise errors.RefreshTokenReuseException(sessions.TOKEN_REUSED)
    user = tx.users.by_id(grant.user_id)
    if user is None:
        raise errors.NotAuthorizedException(INVALID_REFRESH_TOKEN)
    check_enabled(user)
    return grant, user


def _grant_of_token(
    svc: Services, tx: UnitOfWork, refresh_token: str, *, lock: bool = False
) -> tuple[Grant | None, bool]:
    """The grant a refresh token belongs to (as its current token or one rotated out of
    it), and whether it was rotated out longer ago than its grace period."""
    key = digest(svc.secret_key, refresh_token)
    grant = tx.grants.by_refresh(key, lock=lock)
    if grant is not None:
        return grant, False
    rotated = tx.grants.by_rotated(key, lock=lock)
    if rotated is None:
        return None, False
    grant, valid_until = rotated
    return grant, svc.clock.now() >= valid_until


def revoke_refresh(
    svc: Services, tx: UnitOfWork, client: Client, refresh_token: str
) -> Grant | bool | None:
    """Revoke a refresh token of `client` (any token of its session, rotated out or not)
    and every token descended from it (RevokeToken, /oauth2/revoke): None when no grant
    has it (RFC 7009: not an error), False when it is another client's (left alone),
    the grant when revoked (or already)."""
    grant, _ = _grant_of_token(svc, tx, refresh_token)
    if grant is None:
        return None
    if grant.client_id != client.id:
        return False
    tx.grants.revoke(grant.origin_jti, svc.clock.now())
    return grant


def open_session(
    svc: Services,
    tx: UnitOfWork,
    client: Client,
    user: User,
    challenge: str,
    state: str | None = None,
) -> str:
    """A single-use challenge session living for the client's AuthSessionValidity;
    `state`: what the next step needs (sealed by the caller)."""
    handle = opaque_token(96)
    now = svc.clock.now()
    tx.sessions.insert(
        digest(svc.secret_key, handle),
        AuthSession(
            pool_id=client.pool_id,
            client_id=client.id,
            user_id=user.id,
            challenge=challenge,
            expires_at=now + clients.session_seconds(client.config),
            used_at=None,
            state=state,
        ),
    )
    return handle


@dataclass(frozen=True)
class LiveSession:
    """A challenge session found usable by the transaction answering it. Read with a row
    lock there, so concurrent answers to one session are judged one after another; the
    answer then spends it or counts a failure in that same transaction."""

    tx: UnitOfWork
    digest: str
    record: AuthSession
    now: float

    def spend(self) -> None:
        """A right answer: the session is done."""
        if not self.tx.sessions.use(self.digest, self.now):
            raise errors.NotAuthorizedException(SESSION_USED)  # only if read without a lock

    def refuse(self, error: Exception) -> Answer:
        """A wrong answer: the session stays for another try (clients resubmit it after a
        mistyped code) until the code's attempt limit, then it is spent.

        The transaction commits, so the count holds, and then answers `error`: the empty
        answer returned here never reaches the client."""
        if self.record.failed_attempts + 1 >= MAX_FAILED_ATTEMPTS:
            self.spend()
        else:
            self.tx.sessions.count_failure(self.digest)
        self.tx.fail_after_commit(error)
        return {}


def live_session(
    svc: Services, tx: UnitOfWork, client: Client | None, handle: str | None, *, lock: bool
) -> LiveSession:
    """The challenge session `handle` names, with Cognito's error for each way it can be
    unusable; nothing is spent yet. `lock` holds its row for the write transaction that
    judges the answer.

    `client` is None for the calls that carry only the session (MFA setup)."""
    invalid = errors.NotAuthorizedException(INVALID_SESSION)
    if not handle:
        raise invalid
    key = digest(svc.secret_key, handle)
    session = tx.sessions.get(key, lock=lock)
    if session is None or (client is not None and session.client_id != client.id):
        raise invalid
    if session.used_at is not None:
        raise errors.NotAuthorizedException(SESSION_USED)
    now = svc.clock.now()
    if now > session.expires_at:  # expired is spent: no write needed to keep it so
        raise errors.NotAuthorizedException(SESSION_EXPIRED)
    return LiveSession(tx, key, session, now)
