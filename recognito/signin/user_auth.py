"""USER_AUTH: choice-based sign-in (docs/behaviour.md §7.1, "Choice-based sign-in").

The user starts with one first factor of those the pool allows
(`Policies.SignInPolicy.AllowedFirstAuthFactors`) and they can use: named in advance as
PREFERRED_CHALLENGE, or chosen from `AvailableChallenges` in a SELECT_CHALLENGE answer.
Each first factor is one entry of FIRST_FACTORS. A one-time code (EMAIL_OTP, SMS_OTP)
signs the user in alone: it stands in for MFA. The session of a sign-up signs its user in
once without any factor (SignUp/ConfirmSignUp hand it out).

Names nobody has, to a client that hides who exists, get the same answers as real users
("ghost" sessions, sealed: no row can hold a user that does not exist); every answer to
them fails as a wrong one does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, NoReturn, cast

from recognito import errors
from recognito.crypto.envelope import BrokenEnvelope, open_envelope, seal
from recognito.crypto.secrets import digest
from recognito.domain import clients, mfa, pools
from recognito.domain.codes import MAX_FAILED_ATTEMPTS, Purpose
from recognito.domain.records import Client, Pool, User
from recognito.domain.user_status import NOT_CONFIRMED, Status, check_enabled
from recognito.service import hooks
from recognito.service.codes import accept_code, simulated_delivery
from recognito.service.context import Services
from recognito.service.lookups import find_user, unknown_user
from recognito.shapes import ChallengeNameType
from recognito.signin import mfa as mfa_challenges
from recognito.signin import passkeys, password, srp
from recognito.signin.attempt import Attempt
from recognito.signin.issuing import (
    INVALID_SESSION,
    SESSION_EXPIRED,
    SESSION_USED,
    Answer,
    live_session,
    open_session,
)
from recognito.signin.outcome import finish_sign_in
from recognito.store.unit_of_work import UnitOfWork

PERMISSION = "ALLOW_USER_AUTH"
# **Choice** (text): worded as Cognito refuses USER_PASSWORD_AUTH
REFUSAL = "USER_AUTH flow not enabled for this client"
SELECT = "SELECT_CHALLENGE"
# the session of a sign-up, good for one sign-in without a factor
AUTO_SIGN_IN = "AUTO_SIGN_IN"


@dataclass(frozen=True)
class FirstFactor:
    """A way to start a USER_AUTH sign-in, named by its challenge.

    `factor`: the AuthFactorType the pool must allow for it; `available`: whether the
    user can use it (client is None when no client asks: AdminGetUserAuthFactors);
    `start`: its first answer (a challenge, or tokens); `needs`: the parameters a
    SELECT_CHALLENGE answer choosing it must carry."""

    factor: str
    available: Callable[[UnitOfWork, Pool, Client | None, User], bool]
    start: Callable[[Attempt, User], Answer]
    needs: tuple[str, ...] = ()


def _has_password(tx: UnitOfWork, pool: Pool, client: Client | None, user: User) -> bool:
    # a user whose password an administrator reset still signs in by password (and is
    # told to reset it)
    return bool(user.password_hash) or user.status == Status.RESET_REQUIRED


def _verified(attribute: str) -> Callable[[UnitOfWork, Pool, Client | None, User], bool]:
    def available(tx: UnitOfWork, pool: Pool, client: Client | None, user: User) -> bool:
        # **Choice:** only confirmed users get codes (not FORCE_CHANGE_PASSWORD ones: their
        # temporary password must be changed first)
        return (
            user.status == Status.CONFIRMED
            and bool(user.attributes.get(attribute))
            and user.attributes.get(f"{attribute}_verified") == "true"
        )

    return available


# each code factor: the MFA channel it shares (texts, CustomMessage, senders), the code's
# purpose, the answer's parameter, the session's challenge (apart from MFA's EMAIL_OTP)
@dataclass(frozen=True)
class _Code:
    channel: str
    purpose: Purpose
    attribute: str
    parameter: str
    session: str


_CODES: dict[str, _Code] = {
    "EMAIL_OTP": _Code(mfa.EMAIL, Purpose.OTP_EMAIL, "email", "EMAIL_OTP_CODE", "EMAIL_OTP:first"),
    "SMS_OTP": _Code(mfa.SMS, Purpose.OTP_SMS, "phone_number", "SMS_OTP_CODE", "SMS_OTP:first"),
}
WRONG_CODE = mfa.WRONG_EMAIL  # "Invalid code or auth state for the user." (reference §7.3)


def _start_code(name: str) -> Callable[[Attempt, User], Answer]:
    def start(attempt: Attempt, user: User) -> Answer:
        return _send_code(attempt, user, name)

    return start


FIRST_FACTORS: dict[str, FirstFactor] = {
    "PASSWORD": FirstFactor(
        "PASSWORD", _has_password, lambda a, _: password.password_flow(a), ("PASSWORD",)
    ),
    "PASSWORD_SRP": FirstFactor(
        "PASSWORD", _has_password, lambda a, _: srp.initiate(a), ("SRP_A",)
    ),
    "EMAIL_OTP": FirstFactor("EMAIL_OTP", _verified("email"), _start_code("EMAIL_OTP")),
    "SMS_OTP": FirstFactor("SMS_OTP", _verified("phone_number"), _start_code("SMS_OTP")),
    "WEB_AUTHN": FirstFactor("WEB_AUTHN", passkeys.available, passkeys.start_sign_in),
}
# what a name nobody has is offered (when the pool allows it): what most users could use
_GHOST_OFFER = ("PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP")
# challenges PREFERRED_CHALLENGE may name
_NAMEABLE = ("PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN")


def available_challenges(
    tx: UnitOfWork, pool: Pool, client: Client | None, user: User
) -> list[str]:
    """The first factors `user` can start with, by challenge name."""
    allowed = pools.first_factors(pool.config)
    return [
        name
        for name, first in FIRST_FACTORS.items()
        if first.factor in allowed and first.available(tx, pool, client, user)
    ]


def configured_factors(tx: UnitOfWork, pool: Pool, user: User) -> list[str]:
    """GetUserAuthFactors' ConfiguredUserAuthFactors: the AuthFactorTypes of those."""
    names = available_challenges(tx, pool, None, user)
    return list(dict.fromkeys(FIRST_FACTORS[name].factor for name in names))


def initiate(attempt: Attempt) -> Answer:
    """InitiateAuth / AdminInitiateAuth USER_AUTH."""
    if attempt.session:
        return _auto_sign_in(attempt, attempt.session)
    svc, pool = attempt.svc, attempt.pool
    username = attempt.param("USERNAME")
    preferred = attempt.params.get("PREFERRED_CHALLENGE")
    if preferred is not None and preferred not in _NAMEABLE:
        # **Choice** (text): Cognito's words are unknown
        raise errors.InvalidParameterException(f"Invalid PREFERRED_CHALLENGE: {preferred}.")
    with svc.store.read() as tx:
        user = find_user(tx, pool, username)
        offered = available_challenges(tx, pool, attempt.client, user) if user else []
    attempt.prove_client(user, username)
    if user is None:
        allowed = pools.first_factors(pool.config)
        if preferred in ("PASSWORD", "PASSWORD_SRP") and "PASSWORD" in allowed:
            # the password flows answer names nobody has (and run UserMigration) themselves
            return _password_start(attempt, preferred)
        if not attempt.hides_existence:
            raise unknown_user()
        ghost = [n for n in _GHOST_OFFER if FIRST_FACTORS[n].factor in allowed]
        if preferred in ghost:
            return _ghost_start(attempt, username, preferred)
        return _selection(_ghost(attempt, username, SELECT, {"offered": ghost}), ghost)
    if preferred in offered:
        return FIRST_FACTORS[preferred].start(attempt, user)
    # **Choice:** a preferred challenge the user cannot use falls back to the choice
    with svc.store.write() as tx:
        return _selection(open_session(svc, tx, attempt.client, user, SELECT), offered)


def _password_start(attempt: Attempt, name: str) -> Answer:
    return password.password_flow(attempt) if name == "PASSWORD" else srp.initiate(attempt)


def _selection(session: str, offered: list[str]) -> Answer:
    return {
        "ChallengeName": "SELECT_CHALLENGE",
        "Session": session,
        "ChallengeParameters": {},
        # each name is a ChallengeNameType value (FIRST_FACTORS' keys)
        "AvailableChallenges": cast(list[ChallengeNameType], offered),
    }


def answer_selection(attempt: Attempt, handle: str | None) -> Answer:
    """RespondToAuthChallenge SELECT_CHALLENGE: ANSWER names one of AvailableChallenges,
    with what that factor needs (PASSWORD, SRP_A); the session is spent and the factor
    starts."""
    chosen = attempt.param("ANSWER")
    ghost = _open_ghost(attempt, handle, SELECT)
    if ghost is not None:
        if chosen not in ghost["offered"]:
            raise errors.InvalidParameterException(_not_offered(chosen))
        if chosen in ("PASSWORD", "PASSWORD_SRP"):
            return _password_start(attempt, chosen)
        return _ghost_start(attempt, ghost["username"], chosen)
    svc = attempt.svc
    with svc.store.write() as tx:
        session, user = attempt.answering(tx, handle, SELECT)
        if chosen not in available_challenges(tx, attempt.pool, attempt.client, user):
            return session.refuse(errors.InvalidParameterException(_not_offered(chosen)))
        for name in FIRST_FACTORS[chosen].needs:
            attempt.param(name)  # missing: refused before the session is spent
        session.spend()
    return FIRST_FACTORS[chosen].start(attempt, user)


def _not_offered(chosen: str) -> str:
    # **Choice** (text), after SELECT_MFA_TYPE's "Invalid MFA type ... for the user."
    return f"Invalid challenge {chosen} for the user."


def _send_code(attempt: Attempt, user: User, name: str) -> Answer:
    """Start EMAIL_OTP or SMS_OTP: PreAuthentication, CustomMessage_Authentication (the
    MFA code's texts and senders), then an 8-digit code living as long as the session."""
    svc, pool, client = attempt.svc, attempt.pool, attempt.client
    code = _CODES[name]
    if not user.enabled and attempt.hides_existence:
        return _ghost_start(attempt, attempt.param("USERNAME"), name)
    check_enabled(user)
    hooks.pre_authentication(svc, pool, user, client.id, attempt.metadata, attempt.hides_existence)
    custom = mfa_challenges.sms_message(svc, pool, user, client, code.channel)
    with svc.store.write() as tx:
        parameters = mfa_challenges.send_sign_in_code(
            svc, tx, pool, client, user, code.channel, code.purpose, custom
        )
        session = open_session(svc, tx, client, user, code.session)
    return {
        # EMAIL_OTP and SMS_OTP are ChallengeNameType values
        "ChallengeName": cast(ChallengeNameType, name),
        "Session": session,
        "ChallengeParameters": parameters,
    }


def first_factor_or(
    name: str, otherwise: Callable[[Attempt, str | None], Answer]
) -> Callable[[Attempt, str | None], Answer]:
    """The answer to `name` (EMAIL_OTP): the first factor's when the session is one of
    USER_AUTH's, else `otherwise` (the MFA factor of the same name)."""

    def respond(attempt: Attempt, handle: str | None) -> Answer:
        if _open_ghost(attempt, handle, name) is not None:
            return answer_code(name)(attempt, handle)
        if handle:
            with attempt.svc.store.read() as tx:
                try:
                    session = live_session(attempt.svc, tx, attempt.client, handle, lock=False)
                except errors.CognitoError:
                    return otherwise(attempt, handle)  # it answers the session's error
            if session.record.challenge == _CODES[name].session:
                return answer_code(name)(attempt, handle)
        return otherwise(attempt, handle)

    return respond


def answer_code(name: str) -> Callable[[Attempt, str | None], Answer]:
    """RespondToAuthChallenge EMAIL_OTP / SMS_OTP of USER_AUTH: the right code signs in
    (no MFA follows); a wrong one keeps the session for another try, up to the session's
    limit of wrong answers."""
    code = _CODES[name]
    wrong = errors.CodeMismatchException(WRONG_CODE)

    def respond(attempt: Attempt, handle: str | None) -> Answer:
        if handle is not None and _open_ghost(attempt, handle, name) is not None:
            attempt.param(code.parameter)
            _refuse_ghost(attempt, handle, wrong)
        svc = attempt.svc
        with svc.store.write() as tx:
            session, user = attempt.answering(tx, handle, code.session)
            given = attempt.param(code.parameter)
            if accept_code(svc, tx, user.sub, code.purpose, given, wrong) is None:
                return session.refuse(wrong)
            session.spend()
            check_enabled(user)
        return finish_sign_in(attempt, user, True, passwordless=True)

    return respond


# ---- sign-up, then signed in ----


def sign_up_session(svc: Services, client: Client, pool: Pool, username: str) -> str | None:
    """The Session SignUp and ConfirmSignUp answer with, for a client that allows USER_AUTH:
    good for one USER_AUTH sign-in of that user by that client, for AuthSessionValidity."""
    if PERMISSION not in clients.allowed_flows(client.config):
        return None
    with svc.store.write() as tx:
        user = find_user(tx, pool, username)
        if user is None:
            return None
        return open_session(svc, tx, client, user, AUTO_SIGN_IN)


def _auto_sign_in(attempt: Attempt, handle: str) -> Answer:
    """USER_AUTH with a sign-up's Session: the confirmation code stood in for the first
    factor (and for MFA)."""
    svc = attempt.svc
    with svc.store.read() as tx:
        _, user = attempt.answering(tx, handle, AUTO_SIGN_IN, lock=False)
    if user.status == Status.UNCONFIRMED:
        raise errors.UserNotConfirmedException(NOT_CONFIRMED)
    check_enabled(user)
    hooks.pre_authentication(
        svc, attempt.pool, user, attempt.client.id, attempt.metadata, attempt.hides_existence
    )
    with svc.store.write() as tx:
        session, user = attempt.answering(tx, handle, AUTO_SIGN_IN)
        if user.status != Status.CONFIRMED:
            raise errors.NotAuthorizedException(INVALID_SESSION)
        session.spend()
    return finish_sign_in(attempt, user, True, passwordless=True)


# ---- names nobody has, to clients that hide who exists ----

_GHOST = "user-auth-ghost"


def _ghost(attempt: Attempt, username: str, challenge: str, extra: dict[str, object]) -> str:
    svc, client = attempt.svc, attempt.client
    return seal(
        svc.secret_key,
        _GHOST,
        {
            "pool": attempt.pool.id,
            "client": client.id,
            "username": username,
            "challenge": challenge,
            "expires_at": svc.clock.now() + clients.session_seconds(client.config),
            **extra,
        },
    )


def _ghost_start(attempt: Attempt, username: str, name: str) -> Answer:
    """A code challenge for a name nobody has: the delivery simulated, as for a real user."""
    code = _CODES[name]
    with attempt.svc.store.write() as tx:
        details = simulated_delivery(
            attempt.svc, tx, attempt.pool, username, code.purpose, code.attribute
        )
    return {
        "ChallengeName": cast(ChallengeNameType, name),
        "Session": _ghost(attempt, username, name, {}),
        "ChallengeParameters": {
            "CODE_DELIVERY_DELIVERY_MEDIUM": details["DeliveryMedium"],
            "CODE_DELIVERY_DESTINATION": details["Destination"],
        },
    }


def _refuse_ghost(attempt: Attempt, handle: str, wrong: errors.CognitoError) -> NoReturn:
    """A wrong answer to a ghost session, counted as a real session counts it: the one
    that reaches the limit spends it, and later answers find it used."""
    svc = attempt.svc
    key = "ghost:" + digest(svc.secret_key, handle)[:40]
    with svc.store.write() as tx:
        now = svc.clock.now()
        held = tx.counters.held(key, now)
        if held.count >= MAX_FAILED_ATTEMPTS:
            raise errors.NotAuthorizedException(SESSION_USED)
        tx.counters.save(key, replace(held, count=held.count + 1, last_at=now))
        tx.fail_after_commit(wrong)
    raise wrong  # not reached: the commit raised it


def _open_ghost(attempt: Attempt, handle: str | None, challenge: str) -> dict[str, Any] | None:
    """The ghost session `handle` is, or None when it is none (a real one, or garbage);
    refused as a real session would be when it is another challenge's, client's or name's,
    or expired."""
    if not handle:
        return None
    try:
        ghost = open_envelope(attempt.svc.secret_key, _GHOST, handle)
    except BrokenEnvelope:
        return None
    username = attempt.param("USERNAME")
    if (
        ghost.get("pool") != attempt.pool.id
        or ghost.get("client") != attempt.client.id
        or ghost.get("challenge") != challenge
        or ghost.get("username") != username
    ):
        raise errors.NotAuthorizedException(INVALID_SESSION)
    attempt.prove_client(None, username)
    expires_at = ghost.get("expires_at")
    if not isinstance(expires_at, (int, float)) or attempt.svc.clock.now() > expires_at:
        raise errors.NotAuthorizedException(SESSION_EXPIRED)
    return ghost
