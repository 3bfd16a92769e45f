"""How a sign-in goes on once the password (or SRP proof) was checked: a lockout, the
NEW_PASSWORD_REQUIRED challenge, a multi-factor challenge, or tokens."""

from __future__ import annotations

import json
from typing import NoReturn

from recognito import errors
from recognito.domain import lockout, mfa
from recognito.domain.attributes import missing_required
from recognito.domain.records import User
from recognito.domain.tokens import challenge_user_attributes
from recognito.domain.user_status import INCORRECT, SignIn, password_sign_in
from recognito.service.context import Services
from recognito.service.limits import subject
from recognito.signin.attempt import Attempt
from recognito.signin.issuing import Answer, issue_tokens, open_session
from recognito.signin.mfa import challenge


def finish_sign_in(attempt: Attempt, user: User, password_ok: bool) -> Answer:
    """Cognito's answer once the password (or SRP proof) of `user` was checked."""
    svc, pool, client = attempt.svc, attempt.pool, attempt.client
    now = svc.clock.now()
    whom = subject(svc, pool, user, user.username)
    # a user without a password (reset by an admin) is counted too where the client hides
    # who exists: otherwise such a user would be the one name that never locks
    counts = bool(user.password_hash) or attempt.hides_existence
    _count_attempt(svc, whom, password_ok, counts=counts, now=now)
    outcome = password_sign_in(user, password_ok, now, attempt.hides_existence)
    with svc.store.write() as tx:
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
        factor = mfa.next_challenge(pool.config, user, tx.mfa.get(user.id))
        if factor is not None:
            return challenge(svc, tx, pool, client, user, factor)
        return {
            "ChallengeParameters": {},
            "AuthenticationResult": issue_tokens(svc, tx, pool, client, user),
        }


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
