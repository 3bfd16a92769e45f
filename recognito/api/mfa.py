"""Multi-factor authentication: the pool's MFA settings (Set/GetUserPoolMfaConfig), a
user's factors (AssociateSoftwareToken, VerifySoftwareToken, Set/AdminSetUserMFAPreference),
and the challenges a correct password then leads to (SMS_MFA, SOFTWARE_TOKEN_MFA,
SELECT_MFA_TYPE, MFA_SETUP)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from recognito import errors
from recognito.api.access import authorize
from recognito.api.attempt import Attempt
from recognito.api.codes import accept_code, send_code
from recognito.api.context import Services
from recognito.api.issuing import issue_tokens, open_session, use_session
from recognito.api.lookups import pool_or_error, user_or_error
from recognito.api.registry import Request, Response, operation
from recognito.crypto import totp
from recognito.domain import clients, messages, mfa
from recognito.domain.codes import Purpose
from recognito.domain.records import Client, Pool, User
from recognito.domain.user_status import Status
from recognito.store.repository import Repository

_POOL_SETTINGS = (
    "SmsMfaConfiguration",
    "SoftwareTokenMfaConfiguration",
    "EmailMfaConfiguration",
    "MfaConfiguration",
    "WebAuthnConfiguration",
)


# -- the pool's settings -------------------------------------------------------
@operation("SetUserPoolMfaConfig")
def set_user_pool_mfa_config(svc: Services, req: Request) -> Response:
    with svc.store.write() as repo:
        pool = pool_or_error(repo, req["UserPoolId"])
        config = {**pool.config, **{k: req[k] for k in _POOL_SETTINGS if k in req}}
        if config.get("MfaConfiguration", "OFF") != "OFF" and not mfa.pool_factors(config):
            raise errors.InvalidParameterException(
                "At least one MFA method must be enabled to turn MFA on."
            )
        repo.update_pool(pool.id, config, svc.clock.now())
    return _mfa_config(config)


@operation("GetUserPoolMfaConfig")
def get_user_pool_mfa_config(svc: Services, req: Request) -> Response:
    with svc.store.read() as repo:
        return _mfa_config(pool_or_error(repo, req["UserPoolId"]).config)


def _mfa_config(config: dict[str, Any]) -> Response:
    answer = {k: config[k] for k in _POOL_SETTINGS if k in config}
    answer.setdefault("MfaConfiguration", "OFF")
    return answer


# -- a user's factors ----------------------------------------------------------
@operation("AssociateSoftwareToken")
def associate_software_token(svc: Services, req: Request) -> Response:
    """A new TOTP secret for the user, by access token or inside MFA_SETUP."""
    user, pool, client = _caller(svc, req, mfa.SETUP)
    if not mfa.totp_offered(pool.config):
        raise errors.SoftwareTokenMFANotFoundException(mfa.TOTP_OFF_IN_POOL)
    secret = totp.new_secret()
    with svc.store.write() as repo:
        repo.save_mfa(user.id, replace(repo.mfa(user.id), totp_pending=secret))
        session = open_session(svc, repo, client, user, mfa.SETUP) if client else None
    return {"SecretCode": secret, "Session": session}


@operation("VerifySoftwareToken")
def verify_software_token(svc: Services, req: Request) -> Response:
    """A code from the authenticator proves the secret arrived: it becomes the user's."""
    user, pool, client = _caller(svc, req, mfa.SETUP)
    with svc.store.write() as repo:
        settings = repo.mfa(user.id)
        if settings.totp_pending is None:
            raise errors.SoftwareTokenMFANotFoundException(mfa.NO_TOTP)
        step = totp.matching_step(settings.totp_pending, req["UserCode"], svc.clock.now())
        if step is None:
            raise errors.EnableSoftwareTokenMFAException(mfa.VERIFY_FAILED)
        verified = replace(
            settings, totp_secret=settings.totp_pending, totp_pending=None, totp_last_step=step
        )
        if client is not None or mfa.switch_on_when_verified(pool.config):
            verified = replace(verified, totp_enabled=True, preferred=mfa.TOTP)
        repo.save_mfa(user.id, verified)
        session = open_session(svc, repo, client, user, mfa.SETUP_VERIFIED) if client else None
    return {"Status": "SUCCESS", "Session": session}


def _caller(svc: Services, req: Request, challenge: str) -> tuple[User, Pool, Client | None]:
    """Who an AccessToken speaks for (client None), or whose MFA_SETUP session this is.
    A session is spent in its own transaction: it is gone even if the call then fails."""
    with svc.store.write() as repo:
        if req.get("AccessToken"):
            caller = authorize(svc, repo, req["AccessToken"])
            return caller.user, caller.pool, None
        if not req.get("Session"):
            raise errors.InvalidParameterException("Either AccessToken or Session is required.")
        session = use_session(svc, repo, None, req["Session"])
    with svc.store.read() as repo:
        user = repo.user_by_id(session.user_id)
        client = repo.client(session.client_id)
        pool = repo.pool(session.pool_id)
    if session.challenge != challenge or user is None or client is None or pool is None:
        raise errors.NotAuthorizedException("Invalid session for the user.")
    return user, pool, client


@operation("SetUserMFAPreference")
def set_user_mfa_preference(svc: Services, req: Request) -> Response:
    with svc.store.write() as repo:
        _set_preferences(repo, authorize(svc, repo, req["AccessToken"]).user, req)
    return {}


@operation("AdminSetUserMFAPreference")
def admin_set_user_mfa_preference(svc: Services, req: Request) -> Response:
    with svc.store.write() as repo:
        _set_preferences(
            repo, user_or_error(repo, pool_or_error(repo, req["UserPoolId"]), req["Username"]), req
        )
    return {}


def _set_preferences(repo: Repository, user: User, req: Request) -> None:
    current = repo.mfa(user.id)
    updated = mfa.with_preferences(
        current, user, req.get("SMSMfaSettings"), req.get("SoftwareTokenMfaSettings")
    )
    repo.save_mfa(user.id, updated)


def mfa_fields(repo: Repository, user: User) -> dict[str, Any]:
    """What GetUser and AdminGetUser say about the user's factors."""
    return mfa.setting_list(user, repo.mfa(user.id))


# -- challenges ----------------------------------------------------------------
def challenge(
    svc: Services, repo: Repository, pool: Pool, client: Client, user: User, name: str
) -> Response:
    """Open the MFA challenge `name` for a user whose password was right."""
    parameters: dict[str, str] = {"USER_ID_FOR_SRP": user.username}
    if name == mfa.SMS:
        details = send_code(
            svc,
            repo,
            pool,
            user,
            Purpose.MFA_SMS,
            "phone_number",
            text=lambda code: messages.authentication(pool.config, code),
            lifetime=clients.session_seconds(client.config),
        )
        parameters["CODE_DELIVERY_DELIVERY_MEDIUM"] = details["DeliveryMedium"]
        parameters["CODE_DELIVERY_DESTINATION"] = details["Destination"]
    elif name == mfa.SELECT:
        parameters["MFAS_CAN_CHOOSE"] = mfa.choices(repo.mfa(user.id).enabled(user))
    elif name == mfa.SETUP:
        parameters["MFAS_CAN_SETUP"] = mfa.choices([mfa.TOTP])
    return {
        "ChallengeName": name,
        "Session": open_session(svc, repo, client, user, name),
        "ChallengeParameters": parameters,
    }


def _tokens(attempt: Attempt, user: User) -> Response:
    """Tokens at the end of MFA, for the user as they are now (disabled meanwhile: none)."""
    with attempt.svc.store.write() as repo:
        current = repo.user_by_id(user.id)
        if current is None or current.status != Status.CONFIRMED:
            raise errors.NotAuthorizedException("Invalid session for the user.")
        if not current.enabled:
            raise errors.NotAuthorizedException("User is disabled.")
        result = issue_tokens(attempt.svc, repo, attempt.pool, attempt.client, current)
    return {"ChallengeParameters": {}, "AuthenticationResult": result}


def answer_totp(attempt: Attempt, handle: str | None) -> Response:
    user = attempt.spend_session(handle, mfa.TOTP)
    code = attempt.param("SOFTWARE_TOKEN_MFA_CODE")
    with attempt.svc.store.write() as repo:
        settings = repo.mfa(user.id)
        if settings.totp_secret is None:
            raise errors.SoftwareTokenMFANotFoundException(mfa.NO_TOTP)
        step = totp.matching_step(settings.totp_secret, code, attempt.svc.clock.now())
        if step is None:
            raise errors.CodeMismatchException(mfa.WRONG_TOTP)
        if not settings.fresh(step):
            raise errors.ExpiredCodeException(mfa.TOTP_USED)
        repo.save_mfa(user.id, replace(settings, totp_last_step=step))
    return _tokens(attempt, user)


def answer_sms(attempt: Attempt, handle: str | None) -> Response:
    user = attempt.spend_session(handle, mfa.SMS)
    code = attempt.param("SMS_MFA_CODE")
    wrong = errors.CodeMismatchException(mfa.WRONG_SMS)
    with attempt.svc.store.write() as repo:
        accept_code(attempt.svc, repo, user, Purpose.MFA_SMS, code, wrong)
    return _tokens(attempt, user)


def answer_selection(attempt: Attempt, handle: str | None) -> Response:
    user = attempt.spend_session(handle, mfa.SELECT)
    chosen = attempt.param("ANSWER")
    with attempt.svc.store.write() as repo:
        if chosen not in repo.mfa(user.id).enabled(user):
            raise errors.InvalidParameterException(f"Invalid MFA type {chosen} for the user.")
        return challenge(attempt.svc, repo, attempt.pool, attempt.client, user, chosen)


def answer_setup(attempt: Attempt, handle: str | None) -> Response:
    """Only the session VerifySoftwareToken handed out completes MFA_SETUP."""
    return _tokens(attempt, attempt.spend_session(handle, mfa.SETUP_VERIFIED))
