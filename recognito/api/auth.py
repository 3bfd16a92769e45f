"""Sign-in: InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge,
AdminRespondToAuthChallenge, GetTokensFromRefreshToken.

Each AuthFlow and each challenge is one small function found in a table; the
public and admin operations differ only in which flows they accept.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from recognito import errors
from recognito.api.common import (
    check_secret_hash,
    client_and_pool,
    client_or_error,
    find_user,
    identifiers,
    pool_or_error,
)
from recognito.api.context import Services
from recognito.api.issuing import issue_tokens, open_session, refresh_grant, use_session
from recognito.api.registry import Request, Response, operation
from recognito.crypto.passwords import hash_password, verify_password
from recognito.domain import clients, pools
from recognito.domain.attributes import check_attributes, missing_required, required_error
from recognito.domain.password_policy import PasswordContext, check_password
from recognito.domain.records import Client, Pool, User
from recognito.domain.tokens import challenge_user_attributes
from recognito.domain.user_status import INCORRECT, SignIn, Status, password_sign_in
from recognito.store.repository import Repository


@dataclass(frozen=True)
class Attempt:
    svc: Services
    pool: Pool
    client: Client
    params: dict[str, str]  # AuthParameters or ChallengeResponses


def _param(params: dict[str, str], name: str) -> str:
    value = params.get(name)
    if not value:
        raise errors.InvalidParameterException(f"Missing required parameter {name}")
    return value


# -- flows -------------------------------------------------------------------
def _password_flow(attempt: Attempt) -> Response:
    svc, pool, client = attempt.svc, attempt.pool, attempt.client
    username = _param(attempt.params, "USERNAME")
    password = _param(attempt.params, "PASSWORD")
    hide = clients.hides_user_existence(client.config)
    with svc.store.read() as repo:
        user = find_user(repo, pool, username)
    check_secret_hash(
        client,
        attempt.params.get("SECRET_HASH"),
        identifiers(user, username) if user else [username],
        auth=True,
    )
    if user is None:
        if hide:
            raise errors.NotAuthorizedException(INCORRECT)
        raise errors.UserNotFoundException("User does not exist.")
    # argon2 runs outside any transaction so sign-ins don't queue on the write lock
    outcome = password_sign_in(
        user, verify_password(user.password_hash, password), svc.clock.now(), hide
    )
    with svc.store.write() as repo:
        if outcome is SignIn.NEW_PASSWORD_REQUIRED:
            return _new_password_challenge(svc, repo, client, user)
        return {
            "ChallengeParameters": {},
            "AuthenticationResult": issue_tokens(svc, repo, pool, client, user),
        }


def _new_password_challenge(
    svc: Services, repo: Repository, client: Client, user: User
) -> Response:
    pool = pool_or_error(repo, client.pool_id)
    missing = missing_required(pool.config["SchemaAttributes"], user.attributes)
    return {
        "ChallengeName": "NEW_PASSWORD_REQUIRED",
        "Session": open_session(svc, repo, client, user, "NEW_PASSWORD_REQUIRED"),
        "ChallengeParameters": {
            "USER_ID_FOR_SRP": user.username,
            "requiredAttributes": json.dumps([f"userAttributes.{n}" for n in missing]),
            "userAttributes": challenge_user_attributes(user),
        },
    }


def _refresh_flow(attempt: Attempt) -> Response:
    svc, pool, client = attempt.svc, attempt.pool, attempt.client
    token = _param(attempt.params, "REFRESH_TOKEN")
    with svc.store.write() as repo:
        grant, user = refresh_grant(svc, repo, client, token)
        check_secret_hash(
            client, attempt.params.get("SECRET_HASH"), identifiers(user, user.username), auth=False
        )
        result = issue_tokens(svc, repo, pool, client, user, grant=grant)
    return {"ChallengeParameters": {}, "AuthenticationResult": result}


Flow = Callable[[Attempt], Response]
# AuthFlow -> (the client permission it needs, its error when missing, handler)
_PUBLIC: dict[str, tuple[str, str, Flow]] = {
    "USER_PASSWORD_AUTH": (
        "ALLOW_USER_PASSWORD_AUTH",
        "USER_PASSWORD_AUTH flow not enabled for this client",
        _password_flow,
    ),
    "REFRESH_TOKEN_AUTH": (
        "ALLOW_REFRESH_TOKEN_AUTH",
        "Refresh Token flow not enabled for this client",
        _refresh_flow,
    ),
}
_PUBLIC["REFRESH_TOKEN"] = _PUBLIC["REFRESH_TOKEN_AUTH"]
_ADMIN: dict[str, tuple[str, str, Flow]] = {
    "ADMIN_USER_PASSWORD_AUTH": (
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        "Auth flow not enabled for this client",
        _password_flow,
    ),
    "REFRESH_TOKEN_AUTH": _PUBLIC["REFRESH_TOKEN_AUTH"],
    "REFRESH_TOKEN": _PUBLIC["REFRESH_TOKEN_AUTH"],
}
_ADMIN["ADMIN_NO_SRP_AUTH"] = _ADMIN["ADMIN_USER_PASSWORD_AUTH"]
_LATER = {"USER_SRP_AUTH", "CUSTOM_AUTH", "USER_AUTH"}


def _initiate(
    svc: Services, req: Request, pool: Pool, client: Client, flows: dict[str, tuple[str, str, Flow]]
) -> Response:
    name = req["AuthFlow"]
    if name not in flows:
        if name in _LATER:
            raise errors.UnsupportedOperationException(f"{name} is not supported by Recognito yet.")
        raise errors.InvalidParameterException("Initiate Auth method not supported.")
    permission, refusal, flow = flows[name]
    if permission not in clients.allowed_flows(client.config):
        raise errors.InvalidParameterException(refusal)
    return flow(Attempt(svc, pool, client, req.get("AuthParameters") or {}))


@operation("InitiateAuth")
def initiate_auth(svc: Services, req: Request) -> Response:
    with svc.store.read() as repo:
        client, pool = client_and_pool(repo, req["ClientId"])
    return _initiate(svc, req, pool, client, _PUBLIC)


@operation("AdminInitiateAuth")
def admin_initiate_auth(svc: Services, req: Request) -> Response:
    with svc.store.read() as repo:
        pool = pool_or_error(repo, req["UserPoolId"])
        client = client_or_error(repo, req["ClientId"], pool.id)
    return _initiate(svc, req, pool, client, _ADMIN)


@operation("GetTokensFromRefreshToken")
def get_tokens_from_refresh_token(svc: Services, req: Request) -> Response:
    with svc.store.write() as repo:
        client, pool = client_and_pool(repo, req["ClientId"])
        if client.secret is not None and req.get("ClientSecret") != client.secret:
            raise errors.NotAuthorizedException(f"Invalid client secret for client {client.id}")
        grant, user = refresh_grant(svc, repo, client, req["RefreshToken"])
        return {"AuthenticationResult": issue_tokens(svc, repo, pool, client, user, grant=grant)}


# -- challenges --------------------------------------------------------------
def _new_password(attempt: Attempt, user: User) -> Response:
    svc, pool, client = attempt.svc, attempt.pool, attempt.client
    new_password = _param(attempt.params, "NEW_PASSWORD")
    given = {
        k.removeprefix("userAttributes."): v
        for k, v in attempt.params.items()
        if k.startswith("userAttributes.")
    }
    schema = pool.config["SchemaAttributes"]
    check_attributes(schema, given, updating=True)
    missing = missing_required(schema, {**user.attributes, **given})
    if missing:
        raise required_error(missing)
    check_password(pools.password_policy(pool.config), new_password, PasswordContext.OTHER)
    password_hash = hash_password(new_password)
    with svc.store.write() as repo:
        if user.status != Status.FORCE_CHANGE_PASSWORD:
            raise errors.NotAuthorizedException("Invalid session for the user.")
        repo.set_attributes(user.id, pool.id, given)
        repo.update_user(
            user.id,
            password_hash=password_hash,
            password_expires_at=None,
            status=Status.CONFIRMED,
            modified_at=svc.clock.now(),
        )
        confirmed = repo.user_by_id(user.id)
        assert confirmed is not None
        return {
            "ChallengeParameters": {},
            "AuthenticationResult": issue_tokens(svc, repo, pool, client, confirmed),
        }


_CHALLENGES: dict[str, Callable[[Attempt, User], Response]] = {
    "NEW_PASSWORD_REQUIRED": _new_password,
}


def _respond(svc: Services, req: Request, pool: Pool, client: Client) -> Response:
    name = req["ChallengeName"]
    respond = _CHALLENGES.get(name)
    if respond is None:
        raise errors.UnsupportedOperationException(
            f"Challenge {name} is not supported by Recognito yet."
        )
    params = req.get("ChallengeResponses") or {}
    username = _param(params, "USERNAME")
    with svc.store.write() as repo:  # the session is spent whatever happens next
        session = use_session(svc, repo, client, req.get("Session"))
        user = repo.user_by_id(session.user_id)
        if (
            user is None
            or session.challenge != name
            or user.id != getattr(find_user(repo, pool, username), "id", None)
        ):
            raise errors.NotAuthorizedException("Invalid session for the user.")
    check_secret_hash(client, params.get("SECRET_HASH"), identifiers(user, username), auth=True)
    return respond(Attempt(svc, pool, client, params), user)


@operation("RespondToAuthChallenge")
def respond_to_auth_challenge(svc: Services, req: Request) -> Response:
    with svc.store.read() as repo:
        client, pool = client_and_pool(repo, req["ClientId"])
    return _respond(svc, req, pool, client)


@operation("AdminRespondToAuthChallenge")
def admin_respond_to_auth_challenge(svc: Services, req: Request) -> Response:
    with svc.store.read() as repo:
        pool = pool_or_error(repo, req["UserPoolId"])
        client = client_or_error(repo, req["ClientId"], pool.id)
    return _respond(svc, req, pool, client)
