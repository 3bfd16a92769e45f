"""How a sign-in goes on once the password (or SRP proof) was checked: a lockout, the
NEW_PASSWORD_REQUIRED challenge, a multi-factor challenge, or tokens."""

from __future__ import annotations

import json
from typing import Any, NoReturn

from recognito import errors
from recognito.domain import lockout, mfa, risk
from recognito.domain.attributes import missing_required
from recognito.domain.records import User
from recognito.domain.tokens import challenge_user_attributes
from recognito.domain.user_status import (
    INCORRECT,
    SignIn,
    Status,
    password_sign_in,
    reset_required,
)
from recognito.service import threats
from recognito.service.context import Services
from recognito.service.limits import subject
from recognito.signin.attempt import Attempt
from recognito.signin.devices import remembered_device_challenge
from recognito.signin.issuing import (
    Answer,
    deferred_tokens,
    hosted_sign_in,
    issue_tokens,
    open_session,
    tokens_deferred,
)
from recognito.signin.mfa import challenge, sms_message
from recognito.store.unit_of_work import UnitOfWork


def finish_sign_in(
    attempt: Attempt,
    user: User,
    password_ok: bool,
    *,
    compromised: bool = False,
    passwordless: bool = False,
) -> Answer:
    """Cognito's answer once the password (or SRP proof) of `user` was checked;
    `compromised`: the password is a known breached one. `passwordless`: a USER_AUTH
    first factor that is not a password (a one-time code, a passkey, the sign-up's own
    code) was passed instead: it counts as the password does for lockout, and stands in
    for MFA (docs/behaviour.md, USER_AUTH)."""
    svc, pool, client = attempt.svc, attempt.pool, attempt.client
    outcome = judge_password(attempt, user, password_ok)
    verdict = threats.judge_sign_in(svc, pool, client, user, attempt.where, compromised)
    # with PostAuthentication or PreTokenGeneration the tokens wait for them, outside
    # this transaction
    deferred = tokens_deferred(svc, pool)
    custom = None if passwordless else _sms_custom_message(attempt, user, outcome)
    with svc.store.write() as tx:
        if verdict is not None and (verdict.reset or verdict.action == "BLOCK"):
            return _block(attempt, tx, user, verdict)
        if outcome is SignIn.NEW_PASSWORD_REQUIRED:
            missing = missing_required(pool.config["SchemaAttributes"], user.attributes)
            return {
                "ChallengeName": "NEW_PASSWORD_REQUIRED",
                "Session": open_session(svc, tx, client, user, "NEW_PASSWORD_REQUIRED"),
                "ChallengeParameters": {
                    "USER_ID_FOR_SRP": user.username,
                    "requiredAttributes": json.dumps(
                        [f"userAttributes.{n}" for n in missing], separators=(",", ":")
                    ),
                    "userAttributes": challenge_user_attributes(user),
                },
            }
        remembered = None if passwordless else remembered_device_challenge(attempt, tx, user)
        if remembered is not None:  # the remembered device stands in for MFA
            return remembered
        settings = tx.mfa.get(user.id)
        factor = None if passwordless else mfa.next_challenge(pool.config, user, settings)
        if factor is None and verdict is not None and not passwordless:
            factor = risk.risk_factor(verdict.action, settings.enabled(user), settings.preferred)
            if factor is risk.NO_FACTOR:  # MFA_REQUIRED for a user with none set up
                return _block(attempt, tx, user, verdict)
        if verdict is not None:
            verdict.event.response = "Pass" if factor is None else "InProgress"
            threats.record(svc, tx, pool, user, verdict.event)
        if factor is not None:
            return challenge(svc, tx, pool, client, user, factor, custom)
        if not deferred and not attempt.hosted:
            return {
                "ChallengeParameters": {},
                "AuthenticationResult": issue_tokens(svc, tx, pool, client, user),
            }
    if attempt.hosted:
        return hosted_sign_in(svc, pool, client, user, attempt.metadata, attempt.initiating)
    return deferred_tokens(
        svc, pool, client, user, attempt.metadata, attempt.initiating, attempt.token_source
    )


def judge_password(attempt: Attempt, user: User, password_ok: bool) -> SignIn:
    """The checked password of `user` counted for lockout (or refused by it), and what
    the user's status makes of it: an error, or how the sign-in may go on."""
    svc = attempt.svc
    now = svc.clock.now()
    whom = subject(svc, attempt.pool, user, user.username)
    # a user without a password (reset by an admin) is counted too where the client hides
    # who exists: otherwise such a user would be the one name that never locks
    counts = bool(user.password_hash) or attempt.hides_existence
    _count_attempt(svc, whom, password_ok, counts=counts, now=now)
    try:
        return password_sign_in(user, password_ok, now, attempt.hides_existence)
    except errors.CognitoError:
        _record_failure(attempt, user, password_ok)
        raise


def _sms_custom_message(attempt: Attempt, user: User, outcome: SignIn) -> dict[str, Any] | None:
    """CustomMessage_Authentication, asked before the sign-in's transaction when it will
    most likely send an SMS_MFA code (the pool's MFA rules; a risk-driven factor uses the
    pool's own text)."""
    svc, pool = attempt.svc, attempt.pool
    if outcome is SignIn.NEW_PASSWORD_REQUIRED or svc.triggers.arn(pool, "CustomMessage") is None:
        return None
    with svc.store.read() as tx:
        settings = tx.mfa.get(user.id)
    factor = mfa.next_challenge(pool.config, user, settings)
    if factor not in (mfa.SMS, mfa.EMAIL):
        return None
    return sms_message(svc, pool, user, attempt.client, factor)


def _record_failure(attempt: Attempt, user: User, password_ok: bool) -> None:
    """A refused sign-in of a pool with threat protection is recorded (its own write: the
    refusal wrote nothing else)."""
    if not threats.protected(attempt.pool):
        return
    event = threats.Event("SignIn", "Fail", attempt.where)
    outcome = "Success" if password_ok else "Failure"
    event.challenges.append({"ChallengeName": "Password", "ChallengeResponse": outcome})
    with attempt.svc.store.write() as tx:
        threats.record(attempt.svc, tx, attempt.pool, user, event)


def _block(attempt: Attempt, tx: UnitOfWork, user: User, verdict: threats.SignInVerdict) -> Answer:
    """ENFORCED threat protection refuses the sign-in: recorded, and answered after COMMIT.
    A compromised password also requires a reset, as on Cognito."""
    verdict.event.response, verdict.event.decision = "Fail", "Block"
    threats.record(attempt.svc, tx, attempt.pool, user, verdict.event)
    if verdict.reset:
        tx.users.update(user.id, status=Status.RESET_REQUIRED, modified_at=attempt.svc.clock.now())
        tx.fail_after_commit(reset_required())
    else:
        tx.fail_after_commit(errors.NotAuthorizedException(risk.BLOCKED_SIGN_IN))
    return {}


def refuse_unknown(attempt: Attempt, username: str) -> NoReturn:
    """A name no user has, to a client that hides who exists: counted, locked out and
    refused exactly as a wrong password of a real user is."""
    svc = attempt.svc
    whom = subject(svc, attempt.pool, None, username)
    _count_attempt(svc, whom, False, counts=True, now=svc.clock.now())
    raise errors.NotAuthorizedException(INCORRECT)


def _count_attempt(
    svc: Services, whom: str, password_ok: bool, *, counts: bool, now: float
) -> None:
    """Refuse a locked-out subject; count a wrong password (if it `counts`); forget past
    failures once the password was right. The count is held locked while it changes, so
    concurrent attempts on any node are judged one by one; it is committed before any
    error is answered."""
    key = f"signin:{whom}"
    with svc.store.read() as tx:
        if password_ok and tx.counters.get(key) is None:
            return  # the common case needs no write
    with svc.store.write() as tx:
        failures = tx.counters.held(key, now)
        if lockout.locks(failures, now):
            tx.counters.save(key, lockout.after_refusal(failures, now))
            tx.fail_after_commit(errors.NotAuthorizedException(lockout.LOCKED_OUT))
        elif not password_ok and counts:
            tx.counters.save(key, lockout.after_failure(failures, now))
        elif password_ok:
            tx.counters.save(key, None)
