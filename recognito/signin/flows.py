"""The ways into a sign-in: each AuthFlow of InitiateAuth and each challenge of
RespondToAuthChallenge is one small function found in a table; the public and admin
operations differ only in which flows they accept."""

from __future__ import annotations

from collections.abc import Callable

from recognito import errors
from recognito.domain import clients
from recognito.domain.records import Client, Pool, User
from recognito.service import threats
from recognito.service.context import Services
from recognito.service.lookups import check_secret_hash, identifiers
from recognito.shapes import (
    AdminInitiateAuthRequest,
    AdminRespondToAuthChallengeRequest,
    InitiateAuthRequest,
    RespondToAuthChallengeRequest,
)
from recognito.signin import custom, devices, mfa, password, srp, user_auth
from recognito.signin.attempt import Attempt
from recognito.signin.issuing import INVALID_REFRESH_TOKEN, Answer, refreshed_tokens


def _refresh_flow(attempt: Attempt) -> Answer:
    svc, pool, client = attempt.svc, attempt.pool, attempt.client
    token = attempt.param("REFRESH_TOKEN")

    def prove(user: User) -> None:
        check_secret_hash(
            client, attempt.params.get("SECRET_HASH"), identifiers(user, user.username), auth=False
        )
        # a DEVICE_KEY given must be a confirmed device of the token's user
        if attempt.params.get("DEVICE_KEY"):
            with svc.store.read() as tx:
                if devices.known_device(tx, user, attempt.params) is None:
                    raise errors.NotAuthorizedException(INVALID_REFRESH_TOKEN)

    # InitiateAuth's ClientMetadata reaches no PreTokenGeneration (reference §5)
    result = refreshed_tokens(svc, pool, client, token, prove, None)
    return {"ChallengeParameters": {}, "AuthenticationResult": result}


Flow = Callable[[Attempt], Answer]
_PASSWORD = (
    "ALLOW_USER_PASSWORD_AUTH",
    "USER_PASSWORD_AUTH flow not enabled for this client",
    password.password_flow,
)
_ADMIN_PASSWORD = (
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "Auth flow not enabled for this client",
    password.password_flow,
)
_SRP = ("ALLOW_USER_SRP_AUTH", "USER_SRP_AUTH is not enabled for the client.", srp.initiate)
_CUSTOM = (
    "ALLOW_CUSTOM_AUTH",
    # as Cognito words the other flows' refusals (its own text for this one is unconfirmed)
    "CUSTOM_AUTH flow not enabled for this client",
    custom.initiate,
)
_REFRESH = (
    "ALLOW_REFRESH_TOKEN_AUTH",
    "Refresh Token flow not enabled for this client",
    _refresh_flow,
)
_USER_AUTH = (user_auth.PERMISSION, user_auth.REFUSAL, user_auth.initiate)
# AuthFlow -> (the client permission it needs, the error when it is missing, handler)
_PUBLIC: dict[str, tuple[str, str, Flow]] = {
    "USER_PASSWORD_AUTH": _PASSWORD,
    "USER_SRP_AUTH": _SRP,
    "CUSTOM_AUTH": _CUSTOM,
    "REFRESH_TOKEN_AUTH": _REFRESH,
    "REFRESH_TOKEN": _REFRESH,
    "USER_AUTH": _USER_AUTH,
}
_ADMIN: dict[str, tuple[str, str, Flow]] = {
    "ADMIN_USER_PASSWORD_AUTH": _ADMIN_PASSWORD,
    "ADMIN_NO_SRP_AUTH": _ADMIN_PASSWORD,
    "USER_SRP_AUTH": _SRP,
    "CUSTOM_AUTH": _CUSTOM,
    "REFRESH_TOKEN_AUTH": _REFRESH,
    "REFRESH_TOKEN": _REFRESH,
    "USER_AUTH": _USER_AUTH,
}


def initiate(
    svc: Services,
    req: InitiateAuthRequest | AdminInitiateAuthRequest,
    pool: Pool,
    client: Client,
    *,
    admin: bool,
) -> Answer:
    """InitiateAuth (or, with `admin`, AdminInitiateAuth) for `client` of `pool`."""
    flows = _ADMIN if admin else _PUBLIC
    name = req["AuthFlow"]
    if name not in flows:
        raise errors.InvalidParameterException("Initiate Auth method not supported.")
    permission, refusal, flow = flows[name]
    if permission not in clients.allowed_flows(client.config):
        raise errors.InvalidParameterException(refusal)
    where = threats.context(svc, client, req)
    params = req.get("AuthParameters") or {}
    attempt = Attempt(
        svc, pool, client, params, where, req.get("ClientMetadata"), session=req.get("Session")
    )
    if flow is _refresh_flow:
        return flow(attempt)
    return devices.with_new_device(attempt, flow(attempt))


def _password_verifier(attempt: Attempt, session: str | None) -> Answer:
    """PASSWORD_VERIFIER ends USER_SRP_AUTH, or is one round of CUSTOM_AUTH (its
    SECRET_BLOCK says which)."""
    if srp.in_custom_flow(attempt):
        return custom.answer_password(attempt, session)
    return srp.password_verifier(attempt, session)


_CHALLENGES: dict[str, Callable[[Attempt, str | None], Answer]] = {
    password.NEW_PASSWORD_REQUIRED: password.answer_new_password,
    "PASSWORD_VERIFIER": _password_verifier,
    "SOFTWARE_TOKEN_MFA": custom.factor(mfa.answer_totp),
    "SMS_MFA": custom.factor(mfa.answer_sms),
    # a USER_AUTH first factor, or the MFA factor of that name (the session tells)
    "EMAIL_OTP": user_auth.first_factor_or("EMAIL_OTP", custom.factor(mfa.answer_email)),
    "SMS_OTP": user_auth.answer_code("SMS_OTP"),
    user_auth.SELECT: user_auth.answer_selection,
    "SELECT_MFA_TYPE": mfa.answer_selection,
    "MFA_SETUP": custom.factor(mfa.answer_setup),
    custom.CUSTOM_CHALLENGE: custom.answer_custom,
    devices.DEVICE_SRP_AUTH: devices.answer_device_srp,
    devices.DEVICE_PASSWORD_VERIFIER: devices.answer_device_verifier,
}


def respond(
    svc: Services,
    req: RespondToAuthChallengeRequest | AdminRespondToAuthChallengeRequest,
    pool: Pool,
    client: Client,
) -> Answer:
    """Respond/AdminRespondToAuthChallenge: the answer judged by its challenge's handler."""
    name = req["ChallengeName"]
    respond = _CHALLENGES.get(name)
    if respond is None:
        raise errors.UnsupportedOperationException(
            f"Challenge {name} is not supported by Recognito yet."
        )
    where = threats.context(svc, client, req)
    params = req.get("ChallengeResponses") or {}
    attempt = Attempt(svc, pool, client, params, where, req.get("ClientMetadata"), False, name)
    return devices.with_new_device(attempt, respond(attempt, req.get("Session")))
