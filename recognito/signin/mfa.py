"""The multi-factor challenges a correct password leads to (SMS_MFA, EMAIL_OTP,
SOFTWARE_TOKEN_MFA, SELECT_MFA_TYPE, MFA_SETUP): opening them, and judging their answers."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal, cast

from recognito import errors
from recognito.crypto import totp
from recognito.domain import clients, messages, mfa
from recognito.domain.codes import Purpose
from recognito.domain.records import Client, Pool, User
from recognito.domain.user_status import Status, check_enabled
from recognito.service import hooks, threats
from recognito.service.codes import accept_code, send_code
from recognito.service.context import Services
from recognito.shapes import ChallengeNameType
from recognito.signin.attempt import Attempt
from recognito.signin.issuing import (
    INVALID_SESSION,
    Answer,
    LiveSession,
    deferred_tokens,
    hosted_sign_in,
    issue_tokens,
    open_session,
    tokens_deferred,
)
from recognito.store.unit_of_work import UnitOfWork
from recognito.triggers.senders import Origin

# each factor that sends a code: the attribute it goes to, its channel, the code's purpose
_SENT: dict[str, tuple[str, Literal["sms", "email"], Purpose]] = {
    mfa.SMS: ("phone_number", "sms", Purpose.MFA_SMS),
    mfa.EMAIL: ("email", "email", Purpose.MFA_EMAIL),
}


def sms_message(
    svc: Services, pool: Pool, user: User, client: Client, factor: str = mfa.SMS
) -> dict[str, Any] | None:
    """CustomMessage_Authentication's answer for an SMS_MFA or EMAIL_OTP code about to be
    sent; asked before the transaction that sends it (None without the trigger, or when a
    custom sender of the channel takes the code)."""
    if svc.triggers.sender(pool, _SENT[factor][1]) is not None:
        return None
    return hooks.custom_message(
        svc,
        pool,
        "CustomMessage_Authentication",
        user.username,
        hooks.user_attributes(user),
        client.id,
        None,  # InitiateAuth's ClientMetadata never reaches CustomMessage
    )


def challenge(
    svc: Services,
    tx: UnitOfWork,
    pool: Pool,
    client: Client,
    user: User,
    name: str,
    custom: dict[str, Any] | None = None,
    state: str | None = None,
) -> Answer:
    """Open the MFA challenge `name` for a user whose password was right (`custom`: what
    CustomMessage answered for the SMS code; `state`: a custom authentication's rounds,
    sealed, which the right answer hands back as `Passed` instead of issuing tokens)."""
    parameters: dict[str, str] = {"USER_ID_FOR_SRP": user.username}
    if name in _SENT:
        parameters |= send_sign_in_code(svc, tx, pool, client, user, name, _SENT[name][2], custom)
    elif name == mfa.SELECT:
        parameters["MFAS_CAN_CHOOSE"] = mfa.choices(tx.mfa.get(user.id).enabled(user))
    elif name == mfa.SETUP:
        parameters["MFAS_CAN_SETUP"] = mfa.choices([mfa.TOTP])
    return {
        # `name` is one of mfa.SMS, EMAIL, TOTP, SELECT, SETUP: ChallengeNameType values all
        # (tests/unit/test_shapes.py), kept as plain strings by the domain
        "ChallengeName": cast(ChallengeNameType, name),
        "Session": open_session(svc, tx, client, user, name, state),
        "ChallengeParameters": parameters,
    }


def send_sign_in_code(
    svc: Services,
    tx: UnitOfWork,
    pool: Pool,
    client: Client,
    user: User,
    factor: str,
    purpose: Purpose,
    custom: dict[str, Any] | None,
) -> dict[str, str]:
    """Send a sign-in code by `factor`'s channel (mfa.SMS: an SMS, mfa.EMAIL: an email) as
    `purpose`, expiring with the session; the challenge parameters that say where it went.
    The pool's authentication texts, or what CustomMessage answered (`custom`)."""
    attribute, channel, _ = _SENT[factor]

    def default(code: str) -> messages.Text:
        if factor == mfa.EMAIL:
            return messages.email_authentication(pool.config, code)
        return messages.authentication(pool.config, code)

    medium = "SMS" if channel == "sms" else "EMAIL"
    details = send_code(
        svc,
        tx,
        pool,
        user,
        purpose,
        attribute,
        origin=Origin("Authentication", client.id),  # InitiateAuth's metadata: never
        text=default if custom is None else messages.customized(default, medium, custom),
        lifetime=clients.session_seconds(client.config),
    )
    return {
        "CODE_DELIVERY_DELIVERY_MEDIUM": details["DeliveryMedium"],
        "CODE_DELIVERY_DESTINATION": details["Destination"],
    }


@dataclass(frozen=True)
class Passed:
    """A right MFA answer inside custom authentication: `factor` passed, and DefineAuthChallenge
    decides what follows from the rounds sealed in `state` (signin/custom.py)."""

    user: User
    factor: str
    state: str


def _tokens(
    attempt: Attempt, tx: UnitOfWork, session: LiveSession, user: User
) -> Answer | Passed | None:
    """Tokens at the end of MFA, for the user as they are now (disabled meanwhile: none);
    None when they wait for a function (`_finish` runs it after COMMIT) or for
    /oauth2/token (hosted pages); `Passed` when the factor was a round of custom
    authentication."""
    if user.status != Status.CONFIRMED:
        raise errors.NotAuthorizedException(INVALID_SESSION)
    check_enabled(user)
    session.spend()
    if session.record.state is not None:
        return Passed(user, session.record.challenge, session.record.state)
    threats.finish_mfa(attempt.svc, tx, attempt.pool, user)
    if tokens_deferred(attempt.svc, attempt.pool) or attempt.hosted:
        return None
    result = issue_tokens(attempt.svc, tx, attempt.pool, attempt.client, user)
    return {"ChallengeParameters": {}, "AuthenticationResult": result}


def _finish(attempt: Attempt, answer: Answer | Passed | None, user: User) -> Answer | Passed:
    if answer is not None:
        return answer
    if attempt.hosted:
        svc, metadata = attempt.svc, attempt.metadata
        return hosted_sign_in(svc, attempt.pool, attempt.client, user, metadata, False)
    return deferred_tokens(
        attempt.svc,
        attempt.pool,
        attempt.client,
        user,
        attempt.metadata,
        attempt.initiating,
        attempt.token_source,
    )


# Each answer is judged in one write transaction holding its session: a right answer
# spends the session, a wrong one is counted and leaves it for another try (LiveSession).
def answer_totp(attempt: Attempt, handle: str | None) -> Answer | Passed:
    with attempt.svc.store.write() as tx:
        session, user = attempt.answering(tx, handle, mfa.TOTP)
        code = attempt.param("SOFTWARE_TOKEN_MFA_CODE")
        settings = tx.mfa.get(user.id)
        if settings.totp_secret is None:
            raise errors.SoftwareTokenMFANotFoundException(mfa.NO_TOTP)
        step = totp.matching_step(settings.totp_secret, code, session.now)
        if step is None:
            return session.refuse(errors.CodeMismatchException(mfa.WRONG_TOTP))
        if not settings.fresh(step):
            return session.refuse(errors.ExpiredCodeException(mfa.TOTP_USED))
        tx.mfa.save(user.id, replace(settings, totp_last_step=step))
        answer = _tokens(attempt, tx, session, user)
    return _finish(attempt, answer, user)


def answer_sms(attempt: Attempt, handle: str | None) -> Answer | Passed:
    return _answer_sent_code(
        attempt, handle, mfa.SMS, "SMS_MFA_CODE", Purpose.MFA_SMS, mfa.WRONG_SMS
    )


def answer_email(attempt: Attempt, handle: str | None) -> Answer | Passed:
    return _answer_sent_code(
        attempt, handle, mfa.EMAIL, "EMAIL_OTP_CODE", Purpose.MFA_EMAIL, mfa.WRONG_EMAIL
    )


def _answer_sent_code(
    attempt: Attempt,
    handle: str | None,
    challenge: str,
    parameter: str,
    purpose: Purpose,
    wrong_message: str,
) -> Answer | Passed:
    """The answer to a code sent by SMS or email: a wrong one keeps the session for
    another try."""
    wrong = errors.CodeMismatchException(wrong_message)
    with attempt.svc.store.write() as tx:
        session, user = attempt.answering(tx, handle, challenge)
        code = attempt.param(parameter)
        if accept_code(attempt.svc, tx, user.sub, purpose, code, wrong) is None:
            return session.refuse(wrong)
        answer = _tokens(attempt, tx, session, user)
    return _finish(attempt, answer, user)


def answer_selection(attempt: Attempt, handle: str | None) -> Answer:
    custom = None
    chosen = attempt.params.get("ANSWER")
    if chosen in _SENT and attempt.svc.triggers.arn(attempt.pool, "CustomMessage"):
        with attempt.svc.store.read() as tx:  # the user, for the trigger; no tx kept open
            _, chooser = attempt.answering(tx, handle, mfa.SELECT, lock=False)
        custom = sms_message(attempt.svc, attempt.pool, chooser, attempt.client, chosen)
    with attempt.svc.store.write() as tx:
        session, user = attempt.answering(tx, handle, mfa.SELECT)
        chosen = attempt.param("ANSWER")
        if chosen not in tx.mfa.get(user.id).enabled(user):
            return session.refuse(
                errors.InvalidParameterException(f"Invalid MFA type {chosen} for the user.")
            )
        session.spend()
        state = session.record.state  # a custom authentication's rounds go on with it
        return challenge(attempt.svc, tx, attempt.pool, attempt.client, user, chosen, custom, state)


def answer_setup(attempt: Attempt, handle: str | None) -> Answer | Passed:
    """Only the session VerifySoftwareToken handed out completes MFA_SETUP."""
    with attempt.svc.store.write() as tx:
        session, user = attempt.answering(tx, handle, mfa.SETUP_VERIFIED)
        answer = _tokens(attempt, tx, session, user)
    return _finish(attempt, answer, user)
