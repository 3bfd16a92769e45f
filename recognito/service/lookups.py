"""Finding what a request names: pools, clients and users (by username, alias or sub),
and the SECRET_HASH that proves a client's call."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from recognito import errors
from recognito.crypto.secret_hash import secret_hash_matches
from recognito.crypto.secrets import same
from recognito.domain import clients, pools
from recognito.domain.attributes import VERIFIABLE
from recognito.domain.records import Client, Pool, User
from recognito.shapes import (
    AttributeType,
    ConfirmForgotPasswordRequest,
    ConfirmSignUpRequest,
    ForgotPasswordRequest,
    ResendConfirmationCodeRequest,
    StoredUserPool,
)
from recognito.store.unit_of_work import UnitOfWork

ALIASABLE = ("email", "phone_number", "preferred_username")
# the calls about one user that a client makes for them (`public_call`)
PublicRequest = (
    ConfirmForgotPasswordRequest
    | ConfirmSignUpRequest
    | ForgotPasswordRequest
    | ResendConfirmationCodeRequest
)


def pool_or_error(tx: UnitOfWork, pool_id: str) -> Pool:
    pool = tx.pools.get(pool_id)
    if pool is None:
        raise errors.ResourceNotFoundException(f"User pool {pool_id} does not exist.")
    return pool


def client_or_error(tx: UnitOfWork, client_id: str, pool_id: str | None = None) -> Client:
    client = tx.clients.get(client_id)
    if client is None or (pool_id is not None and client.pool_id != pool_id):
        raise errors.ResourceNotFoundException(f"User pool client {client_id} does not exist.")
    return client


def client_and_pool(tx: UnitOfWork, client_id: str) -> tuple[Client, Pool]:
    client = client_or_error(tx, client_id)
    return client, pool_or_error(tx, client.pool_id)


def find_user(tx: UnitOfWork, pool: Pool, identifier: str) -> User | None:
    """A user by username, sign-in attribute (username attribute or alias), or sub."""
    user = tx.users.by_username(pool.id, pools.username_key(pool.config, identifier))
    if user is not None:
        return user
    for attribute in sign_in_attributes(pool.config):
        found = holders(tx, pool, attribute, identifier)
        if found:
            return found[0]
    if _looks_like_sub(identifier):
        return tx.users.by_sub(pool.id, identifier)
    return None


def sign_in_attributes(config: StoredUserPool) -> list[str]:
    """The attributes users of the pool may sign in with besides their username."""
    return pools.username_attributes(config) + pools.alias_attributes(config)


def identifies(pool: Pool, user: User, attribute: str) -> bool:
    """Whether the user's `attribute` is a name they sign in with: a username attribute,
    or a preferred_username alias, as it is; an email/phone alias only once verified."""
    if not user.attributes.get(attribute) or attribute not in sign_in_attributes(pool.config):
        return False
    if attribute in pools.username_attributes(pool.config) or attribute not in VERIFIABLE:
        return True
    return user.verified(attribute)


def holders(tx: UnitOfWork, pool: Pool, attribute: str, value: str) -> list[User]:
    """The users whom `value` names as their `attribute`, compared as the pool compares
    names: case-insensitive pools ignore case in every sign-in identifier
    (docs/behaviour.md §3.4)."""
    fold_case = not pools.case_sensitive(pool.config)
    found = tx.users.with_attribute(pool.id, attribute, value, fold_case=fold_case)
    return [user for user in found if identifies(pool, user, attribute)]


def hold_name(tx: UnitOfWork, pool: Pool, attribute: str, value: str) -> None:
    """Before a write checks that `value` is nobody else's `attribute`: two writers
    claiming the same name at once go one after another, the second seeing the first."""
    tx.counters.hold(f"{pool.id}\n{attribute}\n{value.lower()}")


def _looks_like_sub(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def unknown_user() -> errors.UserNotFoundException:
    return errors.UserNotFoundException("User does not exist.")


def user_or_error(tx: UnitOfWork, pool: Pool, identifier: str) -> User:
    user = find_user(tx, pool, identifier)
    if user is None:
        raise unknown_user()
    return user


def pool_and_user(tx: UnitOfWork, pool_id: str, username: str) -> tuple[Pool, User]:
    """The pool and the user an admin operation names, or Cognito's error for either."""
    pool = pool_or_error(tx, pool_id)
    return pool, user_or_error(tx, pool, username)


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
    # while a secret is rotated out, a hash made with either is good
    if not any(secret_hash_matches(given, s, usernames, client.id) for s in client.secrets):
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
class PublicCall:
    """A client-authenticated call about one user (the sign-up and password-reset family)."""

    client: Client
    pool: Pool
    user: User | None  # None only when the client hides user existence
    hides_existence: bool


def public_call(tx: UnitOfWork, req: PublicRequest) -> PublicCall:
    """Client, pool and named user of a SignUp-family call, with its SecretHash checked."""
    client, pool = client_and_pool(tx, req["ClientId"])
    hide = clients.hides_user_existence(client.config)
    user = find_user(tx, pool, req["Username"])
    check_secret_hash(client, req.get("SecretHash"), identifiers(user, req["Username"]), auth=False)
    if user is None and not hide:
        raise errors.UserNotFoundException("Username/client id combination not found.")
    return PublicCall(client, pool, user, hide)


def attribute_map(attributes: Sequence[AttributeType] | None) -> dict[str, str]:
    return {a["Name"]: a.get("Value", "") for a in attributes or []}


def check_client_secret(client: Client, given: str | None) -> None:
    """The raw ClientSecret that GetTokensFromRefreshToken and RevokeToken take."""
    if client.secret is not None and not same(given or "", client.secret):
        raise errors.NotAuthorizedException(f"Invalid client secret for client {client.id}")
