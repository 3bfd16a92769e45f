"""Lookups and checks shared by the operations: pools, clients, users, SECRET_HASH,
access tokens, codes and messages. One place for each rule."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from recognito import errors
from recognito.api.context import Services
from recognito.crypto import jwt
from recognito.crypto.secret_hash import secret_hash_matches
from recognito.crypto.secrets import digest, numeric_code
from recognito.delivery.message import OutgoingMessage
from recognito.domain import clients, messages, pools
from recognito.domain.attributes import VERIFIABLE
from recognito.domain.codes import EXPIRED, LIFETIME, Purpose, check_code
from recognito.domain.masking import delivery_details
from recognito.domain.records import Client, Code, Pool, User
from recognito.domain.tokens import SCOPE
from recognito.store.repository import Repository

ALIASABLE = ("email", "phone_number", "preferred_username")
_MEDIUM = {"email": "EMAIL", "phone_number": "SMS"}


def pool_or_error(repo: Repository, pool_id: str) -> Pool:
    pool = repo.pool(pool_id)
    if pool is None:
        raise errors.ResourceNotFoundException(f"User pool {pool_id} does not exist.")
    return pool


def client_or_error(repo: Repository, client_id: str, pool_id: str | None = None) -> Client:
    client = repo.client(client_id)
    if client is None or (pool_id is not None and client.pool_id != pool_id):
        raise errors.ResourceNotFoundException(f"User pool client {client_id} does not exist.")
    return client


def client_and_pool(repo: Repository, client_id: str) -> tuple[Client, Pool]:
    client = client_or_error(repo, client_id)
    return client, pool_or_error(repo, client.pool_id)


def find_user(repo: Repository, pool: Pool, identifier: str) -> User | None:
    """A user by username, verified alias (or username attribute), or sub."""
    user = repo.user_by_username(pool.id, pools.username_key(pool.config, identifier))
    if user is not None:
        return user
    for attribute in pools.alias_attributes(pool.config) + pools.username_attributes(pool.config):
        for candidate in repo.users_with_attribute(pool.id, attribute, identifier):
            if (
                attribute == "preferred_username"
                or candidate.verified(attribute)
                or (attribute in pools.username_attributes(pool.config))
            ):
                return candidate
    if _looks_like_sub(identifier):
        return repo.user_by_sub(pool.id, identifier)
    return None


def _looks_like_sub(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def user_or_error(repo: Repository, pool: Pool, identifier: str) -> User:
    user = find_user(repo, pool, identifier)
    if user is None:
        raise errors.UserNotFoundException("User does not exist.")
    return user


def check_secret_hash(
    client: Client, given: str | None, usernames: list[str], *, auth: bool
) -> None:
    """Cognito's SECRET_HASH rule; `auth` picks the wording of InitiateAuth-style calls."""
    if client.secret is None:
        return
    if not given:
        raise errors.NotAuthorizedException(
            f"Client {client.id} is configured for secret but secret was not received"
        )
    if not secret_hash_matches(given, client.secret, usernames, client.id):
        if auth:
            raise errors.NotAuthorizedException(
                f"Unable to verify secret hash for client {client.id}"
            )
        raise errors.NotAuthorizedException(
            f"SecretHash does not match for the client: {client.id}"
        )


def identifiers(user: User | None, typed: str) -> list[str]:
    """Every name a SECRET_HASH may have been computed over for this user."""
    if user is None:
        return [typed]
    names = [typed, user.username]
    names += [user.attributes[a] for a in ALIASABLE if a in user.attributes]
    return names


@dataclass(frozen=True)
class Caller:
    """Who an access token speaks for."""

    pool: Pool
    user: User
    client_id: str


def authorize(svc: Services, repo: Repository, access_token: str) -> Caller:
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
    grant = repo.grant(str(claims.get("origin_jti")))
    pool = repo.pool(pool_id)
    user = repo.user_by_sub(pool_id, str(claims.get("sub"))) if pool else None
    if grant is None or pool is None or user is None or grant.user_id != user.id:
        raise invalid
    if grant.revoked_at is not None or not user.enabled:
        raise errors.NotAuthorizedException("Access Token has been revoked")
    return Caller(pool, user, str(claims.get("client_id")))


def send_code(
    svc: Services, repo: Repository, pool: Pool, user: User, purpose: Purpose, attribute: str
) -> dict[str, str]:
    """Issue a fresh code, queue its message, return the CodeDeliveryDetails."""
    code = numeric_code()
    now = svc.clock.now()
    repo.put_code(
        Code(user.id, purpose, digest(svc.secret_key, code), now + LIFETIME[purpose], 0), now
    )
    medium = _MEDIUM[attribute]
    text = messages.verification(pool.config, medium, code)
    queue_message(svc, repo, pool, attribute, user.attributes[attribute], text, kind=purpose)
    return delivery_details(attribute, user.attributes[attribute])


def queue_message(
    svc: Services,
    repo: Repository,
    pool: Pool,
    attribute: str,
    recipient: str,
    text: messages.Text,
    kind: str,
) -> None:
    channel: Any = "email" if attribute == "email" else "sms"
    repo.enqueue(
        OutgoingMessage(channel, recipient, text.subject, text.body, pool.id, kind),
        svc.clock.now(),
    )


def code_digest(svc: Services, code: str) -> str:
    return digest(svc.secret_key, code)


def accept_code(svc: Services, repo: Repository, user: User, purpose: Purpose, given: str) -> bool:
    """Spend a matching code; count a wrong one and return False (raise after COMMIT).

    Expired, missing and exhausted codes raise Cognito's errors at once.
    """
    given_digest = digest(svc.secret_key, given)
    if not check_code(repo.code(user.id, purpose), given_digest, svc.clock.now()):
        repo.count_code_failure(user.id, purpose)
        return False
    if not repo.spend_code(user.id, purpose, given_digest):
        raise errors.ExpiredCodeException(EXPIRED)  # a concurrent request spent it first
    return True


def claim_alias(repo: Repository, pool: Pool, user: User, attribute: str, force: bool) -> None:
    """Before `attribute` of `user` becomes verified: it must be no other user's verified alias.

    With `force` the alias moves: the other user's copy becomes unverified.
    """
    if attribute not in pools.alias_attributes(pool.config):
        return
    value = user.attributes.get(attribute)
    for other in repo.users_with_attribute(pool.id, attribute, value or ""):
        if other.id == user.id or not other.verified(attribute):
            continue
        if not force:
            raise errors.AliasExistsException(f"An account with the {attribute} already exists.")
        repo.set_attributes(other.id, pool.id, {VERIFIABLE[attribute]: "false"})


def attribute_map(attributes: list[dict[str, str]] | None) -> dict[str, str]:
    return {a["Name"]: a.get("Value", "") for a in attributes or []}


@dataclass(frozen=True)
class PublicCall:
    """A client-authenticated call about one user (the sign-up and password-reset family)."""

    client: Client
    pool: Pool
    user: User | None  # None only when the client hides user existence
    hides_existence: bool


def public_call(repo: Repository, req: dict[str, Any]) -> PublicCall:
    """Client, pool and named user of a SignUp-family call, with its SecretHash checked."""
    client, pool = client_and_pool(repo, req["ClientId"])
    hide = clients.hides_user_existence(client.config)
    user = find_user(repo, pool, req["Username"])
    if user is None and not hide:
        raise errors.UserNotFoundException("Username/client id combination not found.")
    check_secret_hash(client, req.get("SecretHash"), identifiers(user, req["Username"]), auth=False)
    return PublicCall(client, pool, user, hide)


def simulated_delivery(username: str) -> dict[str, str]:
    """CodeDeliveryDetails for an unknown user when the client hides user existence:
    stable for the same name, so probing cannot tell real from simulated."""
    if "@" in username:
        return delivery_details("email", username)
    digits = str(uuid.uuid5(uuid.NAMESPACE_OID, username).int)[-11:]
    return delivery_details("phone_number", "+" + digits)
