"""Sign-in: InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge,
AdminRespondToAuthChallenge, GetTokensFromRefreshToken.

Each AuthFlow and each challenge is one small function found in a table; the
public and admin operations differ only in which flows they accept.
"""

from __future__ import annotations

from collections.abc import Callable

from recognito import errors
from recognito.api import mfa, srp_auth
from recognito.api.attempt import Attempt
from recognito.api.attribute_changes import apply_changes, check_writable, checked_changes
from recognito.api.context import Services
from recognito.api.issuing import INVALID_SESSION, issue_tokens, refresh_grant
from recognito.api.lookups import (
    check_client_secret,
    check_secret_hash,
    client_and_pool,
    client_or_error,
    find_user,
    identifiers,
    pool_or_error,
)
from recognito.api.new_passwords import checked_credentials, still_there, store_password
from recognito.api.registry import Request, Response, operation
from recognito.api.signin import finish_sign_in, refuse_unknown
from recognito.crypto.passwords import hash_password, needs_rehash, verify_password
from recognito.domain import clients
from recognito.domain.attributes import missing_required, required_error
from recognito.domain.records import Client, Pool, User
from recognito.domain.user_status import Status
from recognito.store.repository import Repository


# -- flows -------------------------------------------------------------------
def _password_flow(attempt: Attempt) -> Response:
    svc, pool = attempt.svc, attempt.pool
    username = attempt.param("USERNAME")
    password = attempt.param("PASSWORD")
    with svc.store.read() as repo:
        user = find_user(repo, pool, username)
    attempt.prove_client(user, username)
    # argon2 runs outside any transaction so sign-ins don't queue on the write lock;
    # it runs for unknown users too, so timing does not reveal who exists
    ok = verify_password(user.password_hash if user else None, password)
    if user is None:
        if attempt.hides_existence:
            refuse_unknown(attempt, username)
        raise errors.UserNotFoundException("User does not exist.")
    if ok and user.password_hash and needs_rehash(user.password_hash):
        upgraded = hash_password(password)  # hashing parameters were raised since
        with svc.store.write() as repo:
            repo.update_user(user.id, password_hash=upgraded)
    return finish_sign_in(attempt, user, ok)


def _refresh_flow(attempt: Attempt) -> Response:
    svc, pool, client = attempt.svc, attempt.pool, attempt.client
    token = attempt.param("REFRESH_TOKEN")
    with svc.store.write() as repo:
        grant, user = refresh_grant(svc, repo, client, token)
        check_secret_hash(
            client, attempt.params.get("SECRET_HASH"), identifiers(user, user.username), auth=False
        )
        result = issue_tokens(svc, repo, pool, client, user, grant=grant)
    return {"ChallengeParameters": {}, "AuthenticationResult": result}


Flow = Callable[[Attempt], Response]
_PASSWORD = (
    "ALLOW_USER_PASSWORD_AUTH",
    "USER_PASSWORD_AUTH flow not enabled for this client",
    _password_flow,
)
_ADMIN_PASSWORD = (
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "Auth flow not enabled for this client",
    _password_flow,
)
_SRP = ("ALLOW_USER_SRP_AUTH", "USER_SRP_AUTH is not enabled for the client.", srp_auth.initiate)
_REFRESH = (
    "ALLOW_REFRESH_TOKEN_AUTH",
    "Refresh Token flow not enabled for this client",
    _refresh_flow,
)
# AuthFlow -> (the client permission it needs, the error when it is missing, handler)
_PUBLIC: dict[str, tuple[str, str, Flow]] = {
    "USER_PASSWORD_AUTH": _PASSWORD,
    "USER_SRP_AUTH": _SRP,
    "REFRESH_TOKEN_AUTH": _REFRESH,
    "REFRESH_TOKEN": _REFRESH,
}
_ADMIN: dict[str, tuple[str, str, Flow]] = {
    "ADMIN_USER_PASSWORD_AUTH": _ADMIN_PASSWORD,
    "ADMIN_NO_SRP_AUTH": _ADMIN_PASSWORD,
    "USER_SRP_AUTH": _SRP,
    "REFRESH_TOKEN_AUTH": _REFRESH,
    "REFRESH_TOKEN": _REFRESH,
}
_LATER = {"CUSTOM_AUTH", "USER_AUTH"}


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
        check_client_secret(client, req.get("ClientSecret"))
        grant, user = refresh_grant(svc, repo, client, req["RefreshToken"])
        return {"AuthenticationResult": issue_tokens(svc, repo, pool, client, user, grant=grant)}


# -- challenges --------------------------------------------------------------
NEW_PASSWORD_REQUIRED = "NEW_PASSWORD_REQUIRED"


def _new_password(attempt: Attempt, handle: str | None) -> Response:
    """NEW_PASSWORD_REQUIRED. A refusal by the schema or the password policy proves nothing
    about the user, so it leaves the session for another try; success spends it."""
    svc, pool = attempt.svc, attempt.pool
    with svc.store.read() as repo:
        _, user = attempt.answering(repo, handle, NEW_PASSWORD_REQUIRED, lock=False)
        _awaiting_new_password(user)
        given = _challenge_attributes(repo, attempt, user)
    # the policy check and the hashing come before the write: no lock is held meanwhile
    secrets = checked_credentials(pool, user.username, attempt.param("NEW_PASSWORD"))
    with svc.store.write() as repo:
        session, user = attempt.answering(repo, handle, NEW_PASSWORD_REQUIRED)
        _awaiting_new_password(user)  # again: the user may have changed since
        apply_changes(svc, repo, pool, user, given, admin=False)
        store_password(svc, repo, user, secrets, Status.CONFIRMED)
        session.spend()
        confirmed = still_there(repo, user)
    return finish_sign_in(attempt, confirmed, True)


def _awaiting_new_password(user: User) -> None:
    if user.status != Status.FORCE_CHANGE_PASSWORD:
        raise errors.NotAuthorizedException(INVALID_SESSION)
    if not user.enabled:
        raise errors.NotAuthorizedException("User is disabled.")


def _challenge_attributes(repo: Repository, attempt: Attempt, user: User) -> dict[str, str]:
    """The `userAttributes.*` of the answer, checked as UpdateUserAttributes would check
    them; required ones that already have a value stay as they are (reference §7.3), and
    afterwards no required one may be missing."""
    given = {
        k.removeprefix("userAttributes."): v
        for k, v in attempt.params.items()
        if k.startswith("userAttributes.")
    }
    schema = {entry["Name"]: entry for entry in attempt.pool.config["SchemaAttributes"]}
    for name in given:
        if schema.get(name, {}).get("Required") and user.attributes.get(name):
            raise errors.InvalidParameterException(
                f"Cannot modify the required attribute {name}: it already has a value."
            )
    check_writable(repo, attempt.client.id, given)
    checked_changes(attempt.pool, given, admin=False)
    missing = missing_required(list(schema.values()), {**user.attributes, **given})
    if missing:
        raise required_error(missing)
    return given


_CHALLENGES: dict[str, Callable[[Attempt, str | None], Response]] = {
    NEW_PASSWORD_REQUIRED: _new_password,
    "PASSWORD_VERIFIER": srp_auth.password_verifier,
    "SOFTWARE_TOKEN_MFA": mfa.answer_totp,
    "SMS_MFA": mfa.answer_sms,
    "SELECT_MFA_TYPE": mfa.answer_selection,
    "MFA_SETUP": mfa.answer_setup,
}


def _respond(svc: Services, req: Request, pool: Pool, client: Client) -> Response:
    name = req["ChallengeName"]
    respond = _CHALLENGES.get(name)
    if respond is None:
        raise errors.UnsupportedOperationException(
            f"Challenge {name} is not supported by Recognito yet."
        )
    attempt = Attempt(svc, pool, client, req.get("ChallengeResponses") or {})
    return respond(attempt, req.get("Session"))


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
